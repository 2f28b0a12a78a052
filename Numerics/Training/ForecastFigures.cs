using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// The figure the chapter reports for a trained model, on the validation and test sets: the MSE over the horizon's
/// values for a vector model; for a sequence model the MSE at the last time step (the mean over its Horizon outputs at
/// the last step, i.e. against the sequence-to-vector targets); for a one-step model applied iteratively the MSE of its
/// fed-back forecasts over the horizon. Figures are in the series' own units: standardised MSEs are scaled back, and
/// forecasts of a differenced series are undone first (<see cref="Differencing"/>).
/// </summary>
public static class ForecastFigures
{
    /// <param name="result">The training run on <paramref name="training"/> (with <paramref name="batchSize"/>) whose
    /// weights are measured; a vector model's figure is its own validation and test MSE, scaled to the series' units.</param>
    public static (double Valid, double Test) Of(ForecastTask task, ModelSpec spec, TrainingResult result, DataSplit training, DataSplit evaluation, int batchSize)
    {
        double scale2 = evaluation.TargetScale * evaluation.TargetScale;
        var parameters = result.Parameters;
        if (task.Iterative)
            return (Figure(evaluation, evaluation.Valid, IterativeForecast(spec, parameters, evaluation.Valid, task.Horizon), task.Horizon),
                    Figure(evaluation, evaluation.Test, IterativeForecast(spec, parameters, evaluation.Test, task.Horizon), task.Horizon));
        if (task.Kind == ForecastKind.Vector && training.Differencing is null) return (result.ValidMse * scale2, result.TestMse * scale2);
        var evaluator = new Evaluator(spec, training.Train, batchSize);
        if (task.Kind == ForecastKind.Vector)
            return (Figure(training, training.Valid, evaluator.Predict(parameters, training.Valid), task.Horizon),
                   Figure(training, training.Test, evaluator.Predict(parameters, training.Test), task.Horizon));
        return (LastStepMse(evaluator.Predict(parameters, training.Valid), training.Valid, task.Horizon) * scale2,
                LastStepMse(evaluator.Predict(parameters, training.Test), training.Test, task.Horizon) * scale2);
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
        if (task.Iterative) forecast = IterativeForecast(spec, parameters, one, h);
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
    private static double Figure(DataSplit split, Dataset data, float[] forecasts, int horizon)
    {
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
                for (int k = 0; k < horizon; k++) sum += Math.Pow(values[k] - (data.Target(i)[k] * split.TargetScale + split.TargetMean), 2);
            }
        }
        return sum / (data.Count * (double)horizon);
    }

    // predictions, targets: [count, steps, horizon] -> mean over samples and k of (y[last, k] - t[last, k])^2
    public static double LastStepMse(float[] predictions, Dataset data, int horizon)
    {
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

    /// <summary>Forecasts of a one-step model fed back into its window: [count, horizon].</summary>
    public static float[] IterativeForecast(ModelSpec spec, float[] parameters, Dataset data, int horizon)
    {
        if (data.Features != 1)
            throw new InvalidInputException("--model", $"an iterative forecast feeds its one predicted value back as the next input, so it needs a single input column, not {data.Features}");
        const int block = 64;
        var network = new Network(spec, data.Steps, 1, block);
        if (network.OutputSize != 1) throw new InvalidInputException("--model", "an iterative forecast needs a model that predicts one value");
        network.Context.Training = false;
        var windows = new float[block * data.Steps];   // [block, steps, 1]
        var forecasts = new float[data.Count * horizon];
        for (int start = 0; start < data.Count; start += block)
        {
            int n = Math.Min(block, data.Count - start);
            data.Inputs.AsSpan(start * data.Steps, n * data.Steps).CopyTo(windows);
            for (int k = 0; k < horizon; k++)
            {
                var y = network.Forward(parameters, windows, n);
                for (int b = 0; b < n; b++)
                {
                    forecasts[(start + b) * horizon + k] = y[b];
                    var window = windows.AsSpan(b * data.Steps, data.Steps);
                    window[1..].CopyTo(window);
                    window[^1] = y[b];
                }
            }
        }
        return forecasts;
    }

}
