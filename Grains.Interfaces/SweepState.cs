namespace RnnCluster.Grains.Interfaces;

/// <summary>Where a sweep is. Rejected sweeps leave nothing behind.</summary>
[GenerateSerializer]
public enum SweepState
{
    Unknown = 0,
    Running = 1,
    Completed = 2,
    Cancelled = 3,
    Failed = 4,
    Rejected = 5,
}
