namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One step's work for a shard: the current weights (never changed after sending) and which batch of which epoch.
/// The shard computes the epoch's sample order itself from the job's seed.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.GradientRequest")]
public sealed record GradientRequest(
    long Step,
    int Epoch,
    int BatchStart,
    int BatchLength,
    Immutable<float[]> Weights);
