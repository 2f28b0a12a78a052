namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// What a job reports: its state, progress (epoch, step), losses in the data's original units (with the naive forecast's on the same split), the hash of its
/// current weights, where its shards run, and on failure or rejection the error (which names the field).
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
    [property: Id(11)] string? Error,
    [property: Id(12)] double? NaiveValidMse = null,
    [property: Id(13)] double? NaiveTestMse = null,
    [property: Id(14)] string[]? StepHashes = null)
{
    public bool IsFinished => State is JobState.Completed or JobState.Failed or JobState.Cancelled or JobState.Rejected;

    public static JobStatus Unknown(string jobId) => new(jobId, JobState.Unknown, "", 0, 0, 0, [], null, null, null, [], null);
}
