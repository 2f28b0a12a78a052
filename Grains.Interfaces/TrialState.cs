namespace RnnCluster.Grains.Interfaces;

/// <summary>Where one trial of a sweep is: waiting for a slot, training, done, stopped early by ASHA, or ended otherwise.</summary>
[GenerateSerializer]
public enum TrialState
{
    Pending = 0,
    Running = 1,
    Completed = 2,
    Stopped = 3,
    Failed = 4,
    Cancelled = 5,
}
