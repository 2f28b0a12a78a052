using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>Computes each batch's gradient in this thread over the whole <see cref="GradientTree"/> (one <see cref="BatchShard"/>).</summary>
public sealed class LocalGradientSource(ModelSpec spec, Dataset train, int batchSize, uint seed) : IGradientSource
{
    private readonly BatchShard _shard = new(spec, train, batchSize, seed);

    public ValueTask<double> SumAsync(float[] parameters, long step, int epoch, int batchStart, int batchLength, float[] gradientSum,
        CancellationToken cancellation)
    {
        _shard.Compute(parameters, epoch, batchStart, batchLength);
        _shard.GradientSum.CopyTo(gradientSum);
        return ValueTask.FromResult(_shard.LossSum);
    }
}
