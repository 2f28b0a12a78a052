using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// Shard k of S of every training batch: the aligned subtree of slots [k * size, (k + 1) * size) of the batch's
/// <see cref="GradientTree"/>, size = slots / S. Computes the epoch's sample order itself (a function of seed, epoch
/// and sample index), so per step it needs only the weights and the batch's position. S = 1 is the whole batch.
/// </summary>
public sealed class BatchShard
{
    private readonly SubtreeGradients _tree;
    private readonly Dataset _train;
    private readonly EpochShuffle _shuffle;
    private readonly int[] _order;
    private readonly uint _seed;
    private readonly int _firstSlot;
    private int _orderEpoch = -1;

    public BatchShard(ModelSpec spec, Dataset train, int batchSize, uint seed, int shardIndex = 0, int shardCount = 1)
    {
        CheckShardCount(shardCount, batchSize);
        if (shardIndex < 0 || shardIndex >= shardCount) throw new ArgumentOutOfRangeException(nameof(shardIndex), shardIndex, $"allowed 0..{shardCount - 1}");
        int size = GradientTree.SlotCount(batchSize) / shardCount;
        _tree = new SubtreeGradients(spec, train.Steps, train.Features, train.TargetSize, size);
        _train = train;
        _shuffle = new EpochShuffle(train.Count);
        _order = new int[train.Count];
        _seed = seed;
        _firstSlot = shardIndex * size;
    }

    /// <summary>The gradient values a shard of <paramref name="shardCount"/> keeps: its slots times the parameters.</summary>
    public static long GradientValues(int batchSize, int shardCount, long parameterCount) => (long)GradientTree.SlotCount(batchSize) / shardCount * parameterCount;

    /// <summary>The bytes of a shard's network, computed without building it.</summary>
    public static long NetworkBytes(ModelSpec spec, Dataset train, int batchSize, int shardCount) =>
        SubtreeGradients.NetworkBytes(spec, train.Steps, train.Features, GradientTree.SlotCount(batchSize) / shardCount);

    /// <summary>Throws <see cref="InvalidInputException"/> unless S is a power of two no larger than the batch's slot count.</summary>
    public static void CheckShardCount(int shardCount, int batchSize)
    {
        int slots = GradientTree.SlotCount(batchSize);
        if (shardCount < 1 || shardCount > slots || !System.Numerics.BitOperations.IsPow2(shardCount))
            throw new InvalidInputException("shards", $"{shardCount} shards for batch size {batchSize}; allowed a power of two from 1 to {slots} (the batch's micro-shards of {GradientTree.MicroShardSize}, rounded up to a power of two)");
    }

    /// <summary>The subtree's gradient sum after <see cref="Compute"/> returned more than 0 leaves.</summary>
    public ReadOnlySpan<float> GradientSum => _tree.GradientSum;

    public double LossSum => _tree.LossSum;

    /// <summary>Computes this shard's part of batch [batchStart, batchStart + batchLength) of the epoch's order; returns its filled slots.</summary>
    public int Compute(ReadOnlySpan<float> parameters, int epoch, int batchStart, int batchLength)
    {
        if (epoch != _orderEpoch)
        {
            _shuffle.Fill(_seed, epoch, _order);
            _orderEpoch = epoch;
        }
        return _tree.Compute(parameters, _train, _order.AsSpan(batchStart, batchLength), _firstSlot, _seed, epoch);
    }
}
