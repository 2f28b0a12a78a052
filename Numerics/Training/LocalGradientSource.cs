using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>Computes a batch's gradient in this thread over the whole <see cref="GradientTree"/>.</summary>
public sealed class LocalGradientSource : IGradientSource
{
    private readonly SubtreeGradients _tree;
    private readonly Dataset _train;
    private readonly EpochShuffle _shuffle;
    private readonly int[] _order;
    private readonly uint _seed;
    private int _orderEpoch = -1;

    public LocalGradientSource(ModelSpec spec, Dataset train, int batchSize, uint seed)
    {
        _tree = new SubtreeGradients(spec, train.Steps, train.Features, train.TargetSize, GradientTree.SlotCount(batchSize));
        _train = train;
        _shuffle = new EpochShuffle(train.Count);
        _order = new int[train.Count];
        _seed = seed;
    }

    public ValueTask<double> SumAsync(float[] parameters, long step, int epoch, int batchStart, int batchLength, float[] gradientSum,
        CancellationToken cancellation)
    {
        if (epoch != _orderEpoch)
        {
            _shuffle.Fill(_seed, epoch, _order);
            _orderEpoch = epoch;
        }
        _tree.Compute(parameters, _train, _order.AsSpan(batchStart, batchLength), 0);
        _tree.GradientSum.CopyTo(gradientSum);
        return ValueTask.FromResult(_tree.LossSum);
    }
}
