namespace RnnCluster.Grains;

/// <summary>
/// How jobs checkpoint and recover, from the "RnnCluster:Jobs" configuration section (for example
/// RnnCluster__Jobs__CheckpointEverySteps=100). A checkpoint is written at every epoch's end, every
/// <see cref="CheckpointEverySteps"/> steps (0: never by count) and whenever <see cref="CheckpointInterval"/> has passed
/// since the last one; writes run beside training, one at a time.
/// </summary>
public sealed class JobOptions
{
    public const string Section = "RnnCluster:Jobs";

    /// <summary>The grain storage provider jobs, checkpoints and the registry are kept in.</summary>
    public const string StorageName = "rnncluster";

    /// <summary>False: no checkpoints at all, so a job does not survive its coordinator's silo (for measuring what they cost).</summary>
    public bool Checkpoints { get; set; } = true;

    public int CheckpointEverySteps { get; set; }
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Bytes of this silo's memory the jobs' networks may hold together (<see cref="MemoryBudget"/>); null: 60% of what
    /// the runtime may use. RnnCluster__Jobs__MemoryBudget=1500000000 for 1.5 GB.
    /// </summary>
    public long? MemoryBudget { get; set; }

    /// <summary>How often a running job's reminder checks that its coordinator is alive (wakes it on another silo).</summary>
    public TimeSpan RecoveryReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a step waits for lost shards to come back on other silos before the job fails.</summary>
    public TimeSpan ShardRecoveryTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a storage write is retried (with backoff) before the job fails.</summary>
    public TimeSpan StorageRetryTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long an ended sweep's gauges (trials by state, best metric) still show its final values before its series
    /// end: longer than the scrape interval, so that Prometheus sees the last counts (its default interval is 1 minute).
    /// </summary>
    public TimeSpan EndedSweepMetricsTime { get; set; } = TimeSpan.FromMinutes(2);
}
