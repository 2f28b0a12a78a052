namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// What a job reports: its state, progress (epoch, step), losses in the data's original units (with the naive forecast's
/// on the same split), the hash of its current weights, where its coordinator and shards run, its last checkpoint
/// (step and time written), how many times it recovered from a lost silo, and on failure or rejection the error.
/// Fit: how a completed job's weights were fitted when not by Adam ("least squares", with its ridge if one was needed).
/// Classical: once completed, the classical baselines it was asked for (<see cref="JobSpec.Classical"/>).
/// Run: 1 from the job's start, one more at each resume, so a status of an earlier run (a late notification) can be told
/// from the current one's.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.JobStatus")]
public sealed record JobStatus(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobState State,
    [property: Id(2)] string Model,
    [property: Id(3)] int Epoch,
    [property: Id(4)] int Epochs,
    [property: Id(5)] long Step,
    [property: Id(6)] EpochSummary[] History,
    [property: Id(7)] string? WeightsHash,
    [property: Id(8)] double? ValidMse,
    [property: Id(9)] double? TestMse,
    [property: Id(10)] string[] ShardSilos,
    [property: Id(11)] JobError? Error,
    [property: Id(12)] double? NaiveValidMse = null,
    [property: Id(13)] double? NaiveTestMse = null,
    [property: Id(14)] string[]? StepHashes = null,
    [property: Id(15)] string? CoordinatorSilo = null,
    [property: Id(16)] long? CheckpointStep = null,
    [property: Id(17)] DateTime? CheckpointTime = null,
    [property: Id(18)] int Recoveries = 0,
    [property: Id(19)] string? BaselineJobId = null,
    [property: Id(20)] string? Fit = null,
    [property: Id(21)] ClassicalRow[]? Classical = null,
    [property: Id(22)] int Run = 0)
{
    public bool IsFinished => State is JobState.Completed or JobState.Failed or JobState.Cancelled or JobState.Rejected or JobState.Diverged;

    public static JobStatus Unknown(string jobId) => new(jobId, JobState.Unknown, "", 0, 0, 0, [], null, null, null, [], null);
}
