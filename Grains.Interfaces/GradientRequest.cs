namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One step's work for a shard: the current weights (never changed after sending) and which batch of which epoch.
/// The shard computes the epoch's sample order itself from the job's seed.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.GradientRequest")]
public sealed record GradientRequest(
    [property: Id(0)] long Step,
    [property: Id(1)] int Epoch,
    [property: Id(2)] int BatchStart,
    [property: Id(3)] int BatchLength,
    [property: Id(4)] Immutable<float[]> Weights);
