namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A hyperparameter sweep, keyed by sweep id: runs its trials as training jobs of the cluster within its concurrency
/// limit, stops the worst early under ASHA, and stores every trial's settings, per-epoch metrics and result. Durable
/// like jobs: a sweep whose silo was lost goes on elsewhere, losing and duplicating no trial.
/// </summary>
[Alias("RnnCluster.ISweepGrain")]
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Validates the request and starts the sweep; a bad spec comes back as Rejected with the error.</summary>
    [Alias("Start"), ResponseTimeout(LongCall.Timeout)]
    Task<SweepStatus> Start(SweepRequest request);

    [Alias("GetStatus")]
    Task<SweepStatus> GetStatus();

    /// <summary>Cancels the running trials and starts no more; the sweep becomes Cancelled.</summary>
    [Alias("Cancel"), ResponseTimeout(LongCall.Timeout)]
    Task<SweepStatus> Cancel();

    /// <summary>Goes on with a cancelled or failed sweep: unfinished trials run (cancelled ones from their checkpoints).</summary>
    [Alias("Resume"), ResponseTimeout(LongCall.Timeout)]
    Task<SweepStatus> Resume();

    /// <summary>
    /// A trial's (or baseline's) job tells its sweep that an epoch ended or that it finished, with its status. One-way:
    /// a notification lost with a silo is made up for by the sweep's slow polling; stale or repeated ones are ignored.
    /// </summary>
    [Alias("TrialChanged"), OneWay]
    Task TrialChanged(JobStatus status);
}
