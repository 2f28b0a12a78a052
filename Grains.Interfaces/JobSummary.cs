namespace RnnCluster.Grains.Interfaces;

/// <summary>One line of <c>rnncluster jobs</c>, kept by the job registry in storage: what a job is, without asking it.</summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.JobSummary")]
public sealed record JobSummary(
    string JobId,
    JobState State,
    string Model,
    int Epoch,
    int Epochs,
    long Step,
    double? ValidMse,
    string? WeightsHash,
    DateTime Updated);
