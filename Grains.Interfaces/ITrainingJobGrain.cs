namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The coordinator of one training job, keyed by job id: owns the weights and Adam's state and drives the
/// synchronous data-parallel loop over the job's shard workers. Start returns at once (the loop runs on inside the
/// grain); status and cancel answer while it trains. The job is durable: its spec, record and checkpoints are
/// stored, and a coordinator that lost its silo goes on from its last checkpoint on another.
/// </summary>
[Alias("RnnCluster.ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithStringKey
{
    /// <summary>Validates the spec and starts the job; a bad spec comes back as a Rejected status with the error.</summary>
    [Alias("Start"), ResponseTimeout(LongCall.Timeout)]
    Task<JobStatus> Start(JobSpec spec);

    [Alias("GetStatus")]
    Task<JobStatus> GetStatus();

    /// <summary>The trained weights and preprocessing of a Completed job; null before that.</summary>
    [Alias("GetModel"), ResponseTimeout(LongCall.Timeout)]
    Task<TrainedModel?> GetModel();

    /// <summary>Stops the job (and its baseline) after the step in progress, checkpointing it; its state becomes Cancelled.</summary>
    [Alias("Cancel"), ResponseTimeout(LongCall.Timeout)]
    Task<JobStatus> Cancel();

    /// <summary>
    /// Goes on with a cancelled, failed or diverged job from its last checkpoint (a completed one only with more
    /// epochs); <paramref name="epochs"/>, when set, is the new total. A refusal comes back as the status with Error set
    /// and the state unchanged.
    /// </summary>
    [Alias("Resume"), ResponseTimeout(LongCall.Timeout)]
    Task<JobStatus> Resume(int? epochs);

    /// <summary>The finished job's model, else its last checkpoint's; Error when there is neither.</summary>
    [Alias("Export"), ResponseTimeout(LongCall.Timeout)]
    Task<JobExport> Export();
}
