using System.Diagnostics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Optim;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// Trains a model in this process: epochs of shuffled mini-batches, each batch's gradient summed along the
/// <see cref="GradientTree"/> and divided once by its sample count, Adam, then the validation MSE. The same seed gives
/// bitwise the same weights, and so does a cluster that splits the tree across workers.
/// </summary>
public static class Trainer
{
    public static TrainingResult Train(ModelSpec spec, DataSplit data, TrainingOptions options, Action<EpochReport>? progress = null,
        CancellationToken cancellation = default)
    {
        options.Validate();
        spec.Validate("--model");
        var train = data.Train;
        var tree = new SubtreeGradients(spec, train.Steps, train.Features, train.TargetSize, GradientTree.SlotCount(options.BatchSize));
        var evaluator = new Evaluator(spec, train, options.BatchSize);
        var parameters = tree.Network.InitialParameters(options.Seed);
        var gradient = new float[parameters.Length];
        var adam = new Adam(parameters.Length, options.Adam);
        var shuffle = new EpochShuffle(train.Count);
        var order = new int[train.Count];
        var history = new List<EpochReport>();
        var best = (float[])parameters.Clone();
        double bestValid = double.PositiveInfinity;
        int bestEpoch = 0;
        var clock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            shuffle.Fill(options.Seed, epoch, order);
            double lossSum = 0;
            for (int start = 0; start < train.Count; start += options.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, train.Count - start));
                tree.Compute(parameters, train, batch, 0);
                tree.GradientSum.CopyTo(gradient);
                SimdKernels.Divide(gradient, batch.Length);
                adam.Apply(parameters, gradient);
                lossSum += tree.LossSum;
            }
            double valid = evaluator.Mse(parameters, data.Valid);
            var report = new EpochReport(epoch, options.Epochs, lossSum / train.Count, valid, clock.Elapsed);
            history.Add(report);
            progress?.Invoke(report);
            if (valid < bestValid)
            {
                bestValid = valid;
                bestEpoch = epoch;
                parameters.AsSpan().CopyTo(best);
            }
            else if (options.EarlyStoppingPatience is int patience && epoch - bestEpoch >= patience)
            {
                break;
            }
        }

        var final = options.EarlyStoppingPatience is null ? parameters : best;
        if (options.EarlyStoppingPatience is null) bestEpoch = history.Count;
        return new TrainingResult(final, history, bestEpoch, evaluator.Mse(final, data.Valid), evaluator.Mse(final, data.Test));
    }
}
