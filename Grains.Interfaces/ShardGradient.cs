namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A shard's answer for one step: the gradient sum and loss sum of its subtree of the batch's micro-shard tree,
/// and how many of its slots held a micro-shard (0: an empty subtree of a short batch; the sums are then meaningless;
/// -1: the shard holds no data, as after its silo was lost and it was activated anew, and must be prepared again).
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.ShardGradient")]
public sealed record ShardGradient(
    long Step,
    int ShardIndex,
    int Leaves,
    double LossSum,
    Immutable<float[]> GradientSum);
