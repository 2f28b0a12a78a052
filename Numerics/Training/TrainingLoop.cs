using System.Diagnostics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Optim;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// The training loop, wherever the gradients come from: epochs of mini-batches over the shuffled training set, each
/// batch's gradient sum divided once by its sample count, Adam, then the validation MSE (the measure of the reported
/// figure, <see cref="Evaluator.ForecastMse"/>: for a sequence model its last step's, not its loss over every step)
/// and (optionally) early stopping on it; or, with <see cref="TrainingOptions.LeastSquares"/>, one "epoch" that is the
/// linear model's closed-form fit (<see cref="LeastSquaresFit"/>), reported, checkpointed and ended like any. The local trainer and the cluster's coordinator both run this loop, so they produce the same bits.
/// All it carries between steps is one <see cref="TrainingState"/>: started from a saved one, it goes on exactly
/// where that left off. A loss or gradient that is not finite stops it with <see cref="DivergedException"/>.
/// </summary>
public static class TrainingLoop
{
    /// <param name="afterStep">Called after every Adam step with the step number (1-based) and the new weights.</param>
    /// <param name="start">The state to go on from (null: the seed's initial weights); the loop changes it as it trains.</param>
    /// <param name="checkpoint">Awaited after every step with the live state (copy what you keep) and whether an epoch just ended.</param>
    public static async Task<TrainingResult> RunAsync(ModelSpec spec, DataSplit data, TrainingOptions options, IGradientSource gradients,
        Action<EpochReport>? progress = null, Action<long, float[]>? afterStep = null,
        TrainingState? start = null, Func<TrainingState, bool, ValueTask>? checkpoint = null, CancellationToken cancellation = default)
    {
        options.Validate();
        spec.Validate("model");
        if (options.LeastSquares) LeastSquaresFit.CheckLinear(spec);
        var train = data.Train;
        var network = new Network(spec, train.Steps, train.Features, 1);
        var state = start ?? TrainingState.Initial(network.InitialParameters(options.Seed));
        if (state.Parameters.Length != network.ParameterCount)
            throw new ArgumentException($"the state holds {state.Parameters.Length} parameters where the model has {network.ParameterCount}");
        var views = network.Views;
        var tensors = views.Select(v => (v.Offset, v.Size)).ToArray();
        var evaluator = new Evaluator(spec, train, options.BatchSize);
        var gradient = new float[state.Parameters.Length];
        var adam = new Adam(options.Adam, state.AdamM, state.AdamV, state.Step);
        var parameters = state.Parameters;
        var elapsedBefore = state.Elapsed;
        var clock = Stopwatch.StartNew();
        LeastSquaresSolution? fitted = null;

        while (state.Epoch <= options.Epochs && !state.Stopped)
        {
            int epoch = state.Epoch;
            if (options.LeastSquares)
            {
                // the one "epoch" of a least-squares fit: its weights in one step, then the epoch's end as ever
                cancellation.ThrowIfCancellationRequested();
                // off the caller's thread: a long window's sums take seconds, which a grain's turn should not hold
                fitted = await Task.Run(() => LeastSquaresFit.Fit(spec, train, cancellation: cancellation), cancellation);
                fitted.Parameters.CopyTo(parameters, 0);
                state.Step += 1;
                state.BatchStart = train.Count;
                state.EpochLossSum = evaluator.Mse(parameters, train) * train.Count;
                state.Elapsed = elapsedBefore + clock.Elapsed;
                afterStep?.Invoke(state.Step, parameters);
            }
            while (state.BatchStart < train.Count)
            {
                cancellation.ThrowIfCancellationRequested();
                int length = Math.Min(options.BatchSize, train.Count - state.BatchStart);
                long step = state.Step + 1;
                double loss = await gradients.SumAsync(parameters, step, epoch, state.BatchStart, length, gradient, cancellation);
                NonFinite.Check(step, loss, gradient, views);
                SimdKernels.Divide(gradient, length);
                options.Clipping?.Apply(gradient, tensors);
                adam.Apply(parameters, gradient);
                state.Step = step;
                state.BatchStart += length;
                state.EpochLossSum += loss;
                state.Elapsed = elapsedBefore + clock.Elapsed;
                afterStep?.Invoke(step, parameters);
                if (checkpoint is not null && state.BatchStart < train.Count) await checkpoint(state, false);
            }
            double valid = evaluator.ForecastMse(parameters, data, data.Valid);
            var report = new EpochReport(epoch, options.Epochs, state.EpochLossSum / train.Count, valid, elapsedBefore + clock.Elapsed);
            state.History.Add(report);
            progress?.Invoke(report);
            if (valid < state.BestValid)
            {
                state.BestValid = valid;
                state.BestEpoch = epoch;
                parameters.AsSpan().CopyTo(state.BestParameters);
            }
            else if (options.EarlyStoppingPatience is int patience && epoch - state.BestEpoch >= patience)
            {
                state.Stopped = true;
            }
            state.Epoch = epoch + 1;
            state.BatchStart = 0;
            state.EpochLossSum = 0;
            state.Elapsed = elapsedBefore + clock.Elapsed;
            if (checkpoint is not null) await checkpoint(state, true);
        }
        return Result(spec, data, options, state, evaluator, fitted);
    }

    /// <summary>
    /// The outcome of a state whose training is over: the final weights' validation MSE is known (the last epoch's,
    /// or the best one's when early stopping restored it, unless no epoch ever improved on +inf and the initial weights
    /// are returned), and the test MSE is computed. A least-squares run says how it was fitted (<paramref name="fitted"/>,
    /// or the same fit made again, which gives the same bits, when the state comes from a checkpoint written after it).
    /// </summary>
    public static TrainingResult Result(ModelSpec spec, DataSplit data, TrainingOptions options, TrainingState state, Evaluator? evaluator = null,
        LeastSquaresSolution? fitted = null)
    {
        evaluator ??= new Evaluator(spec, data.Train, options.BatchSize);
        var history = state.History;
        if (history.Count == 0) throw new InvalidOperationException("no epoch was trained");
        bool restored = options.EarlyStoppingPatience is not null;
        var final = (float[])state.FinalParameters(restored).Clone();
        double finalValid = !restored ? history[^1].ValidMse : state.BestEpoch > 0 ? state.BestValid : evaluator.ForecastMse(final, data, data.Valid);
        int bestEpoch = restored ? state.BestEpoch : history.Count;
        if (options.LeastSquares) fitted ??= LeastSquaresFit.Fit(spec, data.Train);
        return new TrainingResult(final, history.ToArray(), bestEpoch, finalValid, evaluator.ForecastMse(final, data, data.Test))
        {
            Fit = fitted?.Describe(),
        };
    }
}
