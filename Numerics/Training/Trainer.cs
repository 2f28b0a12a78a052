using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// Trains a model in this process, on this thread: the <see cref="TrainingLoop"/> with a <see cref="LocalGradientSource"/>.
/// The same seed gives bitwise the same weights, and so does a cluster that splits each batch's tree across workers.
/// </summary>
public static class Trainer
{
    public static TrainingResult Train(ModelSpec spec, DataSplit data, TrainingOptions options, Action<EpochReport>? progress = null,
        Action<long, float[]>? afterStep = null, CancellationToken cancellation = default)
    {
        options.Validate();
        spec.Validate("model");
        var source = new LocalGradientSource(spec, data.Train, options.BatchSize, options.Seed);
        // The local source completes synchronously, so this blocks on nothing but a least-squares fit (on the thread pool).
        return TrainingLoop.RunAsync(spec, data, options, source, progress, afterStep, cancellation: cancellation).GetAwaiter().GetResult();
    }
}
