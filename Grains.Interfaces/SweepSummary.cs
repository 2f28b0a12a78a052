namespace RnnCluster.Grains.Interfaces;

/// <summary>One line of <c>rnncluster sweeps</c>, kept by the sweep registry in storage.</summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.SweepSummary")]
public sealed record SweepSummary(
    string SweepId,
    SweepState State,
    int Trials,
    int Done,
    double? BestMetric,
    string? BestConfig,
    DateTime Updated);
