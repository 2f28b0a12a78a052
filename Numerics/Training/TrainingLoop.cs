using System.Diagnostics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Optim;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// The training loop, wherever the gradients come from: epochs of mini-batches over the shuffled training set, each
/// batch's gradient sum divided once by its sample count, Adam, then the validation MSE and (optionally) early
/// stopping. The local trainer and the cluster's coordinator both run this loop, so they produce the same bits.
/// </summary>
public static class TrainingLoop
{
    /// <param name="afterStep">Called after every Adam step with the step number (1-based) and the new weights.</param>
    public static async Task<TrainingResult> RunAsync(ModelSpec spec, DataSplit data, TrainingOptions options, IGradientSource gradients,
        Action<EpochReport>? progress = null, Action<long, float[]>? afterStep = null, CancellationToken cancellation = default)
    {
        options.Validate();
        spec.Validate("--model");
        var train = data.Train;
        var network = new Network(spec, train.Steps, train.Features, 1);
        var parameters = network.InitialParameters(options.Seed);
        var tensors = network.Views.Select(v => (v.Offset, v.Size)).ToArray();
        var evaluator = new Evaluator(spec, train, options.BatchSize);
        var gradient = new float[parameters.Length];
        var adam = new Adam(parameters.Length, options.Adam);
        var history = new List<EpochReport>();
        var best = (float[])parameters.Clone();
        double bestValid = double.PositiveInfinity;
        int bestEpoch = 0;
        long step = 0;
        var clock = Stopwatch.StartNew();

        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            double lossSum = 0;
            for (int start = 0; start < train.Count; start += options.BatchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                int length = Math.Min(options.BatchSize, train.Count - start);
                step++;
                lossSum += await gradients.SumAsync(parameters, step, epoch, start, length, gradient, cancellation);
                SimdKernels.Divide(gradient, length);
                options.Clipping?.Apply(gradient, tensors);
                adam.Apply(parameters, gradient);
                afterStep?.Invoke(step, parameters);
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

        // the final weights' validation MSE is known: the last epoch's, or the best one's when early stopping
        // restored it (unless no epoch ever improved on +inf, e.g. NaN losses, and the initial weights are returned)
        bool restored = options.EarlyStoppingPatience is not null;
        var final = restored ? best : parameters;
        double finalValid = !restored ? history[^1].ValidMse : bestEpoch > 0 ? bestValid : evaluator.Mse(final, data.Valid);
        if (!restored) bestEpoch = history.Count;
        return new TrainingResult(final, history, bestEpoch, finalValid, evaluator.Mse(final, data.Test));
    }
}
