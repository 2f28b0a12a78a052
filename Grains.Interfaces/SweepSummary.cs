namespace RnnCluster.Grains.Interfaces;

/// <summary>One line of <c>rnncluster sweeps</c>, kept by the sweep registry in storage.</summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.SweepSummary")]
public sealed record SweepSummary(
    [property: Id(0)] string SweepId,
    [property: Id(1)] SweepState State,
    [property: Id(2)] int Trials,
    [property: Id(3)] int Done,
    [property: Id(4)] double? BestMetric,
    [property: Id(5)] string? BestConfig,
    [property: Id(6)] DateTime Updated);
