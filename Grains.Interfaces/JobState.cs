namespace RnnCluster.Grains.Interfaces;

/// <summary>Where a training job is. Rejected jobs leave nothing behind: their grain forgets them.</summary>
[GenerateSerializer]
public enum JobState
{
    Unknown = 0,
    Running = 1,
    Completed = 2,
    Failed = 3,
    Cancelled = 4,
    Rejected = 5,
}
