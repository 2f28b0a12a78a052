namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// Where a training job is. Rejected jobs leave nothing behind: their grain forgets them. Diverged: a loss or gradient
/// was not finite (the error names the step and tensor); its last good checkpoint stays readable.
/// </summary>
[GenerateSerializer]
public enum JobState
{
    Unknown = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
    Rejected = 5,
    Diverged = 6,
}
