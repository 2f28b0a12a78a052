using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// The figure reported for a trained model, the same kind for every model on a series so that they compare in one
/// table: the MSE of its forecast of the next Horizon values after each validation (test) window, in the series' own
/// units. A vector model's forecast is its output; a sequence model's, its Horizon outputs at the window's last step
/// (for the chapter's series, its "last time step MSE"); a one-step model applied iteratively, its fed-back forecasts.
/// Standardised MSEs are scaled back, and forecasts of a differenced series are undone first (<see cref="Differencing"/>).
/// Every epoch's validation MSE is the same measure (<see cref="Evaluator.ForecastMse"/>), except for an iterative
/// model, whose epochs measure its own one-step forecasts.
/// </summary>
public static class ForecastFigures
{
    /// <param name="result">The training run on <paramref name="training"/> whose weights are measured; but for an
    /// iterative model its figure is its own validation and test MSE (<see cref="Evaluator.ForecastMse"/>), scaled to
    /// the series' units.</param>
    public static (double Valid, double Test) Of(ForecastTask task, ModelSpec spec, TrainingResult result, DataSplit training, DataSplit evaluation)
    {
        var parameters = result.Parameters;
        if (task.Iterative)
            return (Figure(evaluation, evaluation.Valid, IterativeForecast.Of(spec, parameters, evaluation.Valid, task.Horizon), task.Horizon),
                    Figure(evaluation, evaluation.Test, IterativeForecast.Of(spec, parameters, evaluation.Test, task.Horizon), task.Horizon));
        double scale2 = training.TargetScale * training.TargetScale;
        return (result.ValidMse * scale2, result.TestMse * scale2);
    }

    /// <summary>What the figure of a model of <paramref name="task"/> is, in one sentence for the output (no final period).</summary>
    public static string Describe(ForecastTask task, string model) =>
        $"MSE of the forecast of the next {task.Horizon} value(s) after each window, in the series' units"
        + (task.Kind == ForecastKind.Sequence ? $" ({model}: its {task.Horizon} outputs at the window's last step)"
            : task.Iterative ? $" ({model}: its one-step forecasts fed back {task.Horizon} times)" : "");

    /// <summary>What the progress line's figures are for a model of <paramref name="task"/> (no final period).</summary>
    public static string DescribeEpochs(ForecastTask task) =>
        (task.Kind == ForecastKind.Sequence ? $"loss = training loss over every step's next {task.Horizon} values" : "loss = training loss")
        + (task.Iterative ? "; val_mse = validation MSE one step ahead (the table's figure feeds its forecasts back)" : "; val_mse = the table's validation figure");

    /// <summary>
    /// The figure of a model's outputs on one set of a split, in the model's units (the series' units divided by the
    /// split's TargetScale squared): the MSE of the last Horizon outputs of each example (a sequence model's last step,
    /// or the whole vector), undone first when the series was differenced.
    /// </summary>
    /// <param name="predictions">[count, targetSize], as <see cref="Evaluator.Predict"/> gives them.</param>
    public static double ModelUnitsMse(DataSplit split, Dataset data, float[] predictions)
    {
        int horizon = split.SequenceHorizon ?? data.TargetSize;
        if (split.Differencing is null) return LastStepMse(predictions, data, horizon);
        int size = data.TargetSize;
        var lastStep = new float[data.Count * horizon];   // [count, horizon]
        for (int i = 0; i < data.Count; i++)
            predictions.AsSpan(i * size + size - horizon, horizon).CopyTo(lastStep.AsSpan(i * horizon));
        return Figure(split, data, lastStep, horizon) / (split.TargetScale * split.TargetScale);
    }

    /// <summary>
    /// The last validation window, in the series' own units: its input values of the forecast column, the actual next
    /// Horizon values and the model's forecast of them (for the chapter-style forecast plot).
    /// </summary>
    public static (double[] Input, double[] Actual, double[] Forecast) LastValidationWindow(ForecastTask task, ModelSpec spec, float[] parameters,
        DataSplit training, DataSplit evaluation, int batchSize)
    {
        var data = evaluation.Valid;
        int last = data.Count - 1, h = task.Horizon;
        var one = new Dataset(data.Input(last).ToArray(), data.Target(last).ToArray(), 1, data.Steps, data.Features, data.TargetSize)
        {
            Origins = data.Origins is null ? null : [data.Origins[last]],
        };
        float[] forecast;
        if (task.Iterative) forecast = IterativeForecast.Of(spec, parameters, one, h);
        else
        {
            var source = task.Kind == ForecastKind.Vector ? one
                : new Dataset(training.Valid.Input(last).ToArray(), training.Valid.Target(last).ToArray(), 1, data.Steps, data.Features, training.Valid.TargetSize);
            forecast = new Evaluator(spec, training.Train, batchSize).Predict(parameters, source)[^h..];
        }
        double Units(double v) => v * evaluation.TargetScale + evaluation.TargetMean;
        var predicted = forecast.Select(v => Units(v)).ToArray();
        if (evaluation.Differencing is { } differencing)
        {
            int origin = one.Origins![0];
            return (Enumerable.Range(origin - data.Steps, data.Steps).Select(differencing.Original).ToArray(),
                    Enumerable.Range(origin, h).Select(differencing.Original).ToArray(),
                    differencing.Undo(origin, predicted));
        }
        var input = Enumerable.Range(0, data.Steps).Select(t => Units(one.Inputs[t * data.Features])).ToArray();
        return (input, one.Targets.Select(v => Units(v)).ToArray(), predicted);
    }

    /// <summary>The naive forecast's MSE (repeat the series' last known value) in the series' own units.</summary>
    public static double NaiveMse(DataSplit split, Dataset data)
    {
        if (split.Differencing is not { } differencing)
            return Baselines.NaiveMse(data) * split.TargetScale * split.TargetScale;
        double sum = 0;
        for (int i = 0; i < data.Count; i++)
        {
            int origin = data.Origins![i];
            for (int k = 0; k < data.TargetSize; k++)
            {
                double d = differencing.Original(origin - 1) - differencing.Original(origin + k);
                sum += d * d;
            }
        }
        return sum / (data.Count * (double)data.TargetSize);
    }

    // forecasts: [count, horizon] in the model's (standardised, maybe differenced) units -> MSE in the series' units
    // (data's targets: [count, horizon] or, without differencing, their last horizon values are compared)
    private static double Figure(DataSplit split, Dataset data, float[] forecasts, int horizon)
    {
        if (data.Count == 0) return double.NaN;
        double sum = 0;
        var values = new double[horizon];
        for (int i = 0; i < data.Count; i++)
        {
            for (int k = 0; k < horizon; k++) values[k] = forecasts[i * horizon + k] * split.TargetScale + split.TargetMean;
            if (split.Differencing is { } differencing)
            {
                int origin = data.Origins![i];
                var undone = differencing.Undo(origin, values);
                for (int k = 0; k < horizon; k++) sum += Math.Pow(undone[k] - differencing.Original(origin + k), 2);
            }
            else
            {
                var target = data.Target(i)[^horizon..];
                for (int k = 0; k < horizon; k++) sum += Math.Pow(values[k] - (target[k] * split.TargetScale + split.TargetMean), 2);
            }
        }
        return sum / (data.Count * (double)horizon);
    }

    // predictions, targets: [count, steps, horizon] -> mean over samples and k of (y[last, k] - t[last, k])^2
    public static double LastStepMse(float[] predictions, Dataset data, int horizon)
    {
        if (data.Count == 0) return double.NaN;
        double sum = 0;
        int size = data.TargetSize;
        for (int i = 0; i < data.Count; i++)
        {
            var target = data.Target(i);
            for (int k = 0; k < horizon; k++)
            {
                double d = predictions[i * size + size - horizon + k] - target[size - horizon + k];
                sum += d * d;
            }
        }
        return sum / (data.Count * (double)horizon);
    }
}
