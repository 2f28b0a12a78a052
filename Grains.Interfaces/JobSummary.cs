namespace RnnCluster.Grains.Interfaces;

/// <summary>One line of <c>rnncluster jobs</c>, kept by the job registry in storage: what a job is, without asking it.</summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.JobSummary")]
public sealed record JobSummary(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobState State,
    [property: Id(2)] string Model,
    [property: Id(3)] int Epoch,
    [property: Id(4)] int Epochs,
    [property: Id(5)] long Step,
    [property: Id(6)] double? ValidMse,
    [property: Id(7)] string? WeightsHash,
    [property: Id(8)] DateTime Updated);
