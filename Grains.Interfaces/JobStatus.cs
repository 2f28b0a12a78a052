namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// What a job reports: its state, progress (epoch, step), losses in the data's original units (with the naive forecast's
/// on the same split), the hash of its current weights, where its coordinator and shards run, its last checkpoint
/// (step and time written), how many times it recovered from a lost silo, and on failure or rejection the error.
/// Fit: how a completed job's weights were fitted when not by Adam ("least squares", with its ridge if one was needed).
/// Classical: once completed, the classical baselines it was asked for (<see cref="JobSpec.Classical"/>).
/// Run: 1 from the job's start, one more at each resume, so a status of an earlier run (a late notification) can be told
/// from the current one's. Waiting: why a running job does not train now (no room in a silo's memory budget for its
/// networks, before it starts or for a shard recovered from a lost silo; it goes on once other jobs make room), else null.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.JobStatus")]
public sealed record JobStatus(
    string JobId,
    JobState State,
    string Model,
    int Epoch,
    int Epochs,
    long Step,
    EpochSummary[] History,
    string? WeightsHash,
    double? ValidMse,
    double? TestMse,
    string[] ShardSilos,
    JobError? Error,
    double? NaiveValidMse = null,
    double? NaiveTestMse = null,
    string[]? StepHashes = null,
    string? CoordinatorSilo = null,
    long? CheckpointStep = null,
    DateTime? CheckpointTime = null,
    int Recoveries = 0,
    string? BaselineJobId = null,
    string? Fit = null,
    ClassicalRow[]? Classical = null,
    int Run = 0,
    string? Waiting = null)
{
    public bool IsFinished => State is JobState.Completed or JobState.Failed or JobState.Cancelled or JobState.Rejected or JobState.Diverged;

    public static JobStatus Unknown(string jobId) => new(jobId, JobState.Unknown, "", 0, 0, 0, [], null, null, null, [], null);
}
