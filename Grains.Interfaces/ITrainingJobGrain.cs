namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The coordinator of one training job, keyed by job id: owns the weights and Adam's state and drives the
/// synchronous data-parallel loop over the job's shard workers. Start returns at once (the loop runs on inside the
/// grain); status and cancel answer while it trains.
/// </summary>
[Alias("RnnCluster.ITrainingJobGrain")]
public interface ITrainingJobGrain : IGrainWithStringKey
{
    /// <summary>Validates the spec and starts the job; a bad spec comes back as a Rejected status naming the field.</summary>
    [Alias("Start")]
    Task<JobStatus> Start(JobSpec spec);

    [Alias("GetStatus")]
    Task<JobStatus> GetStatus();

    /// <summary>The trained weights and preprocessing of a Completed job; null before that.</summary>
    [Alias("GetModel")]
    Task<TrainedModel?> GetModel();

    /// <summary>Stops the job after the step in progress; its state becomes Cancelled.</summary>
    [Alias("Cancel")]
    Task<JobStatus> Cancel();
}
