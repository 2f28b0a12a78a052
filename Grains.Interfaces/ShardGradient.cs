namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A shard's answer for one step: the gradient sum and loss sum of its subtree of the batch's micro-shard tree,
/// and how many of its slots held a micro-shard (0: an empty subtree of a short batch; the sums are then meaningless;
/// -1: the shard holds no data, as after its silo was lost and it was activated anew, and must be prepared again).
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.ShardGradient")]
public sealed record ShardGradient(
    [property: Id(0)] long Step,
    [property: Id(1)] int ShardIndex,
    [property: Id(2)] int Leaves,
    [property: Id(3)] double LossSum,
    [property: Id(4)] Immutable<float[]> GradientSum);
