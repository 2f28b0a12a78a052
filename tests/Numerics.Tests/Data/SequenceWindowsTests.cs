using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Data;

/// <summary>
/// Sequence-to-sequence windows of a CSV series: the same windows as the vector models' (split, statistics, counts,
/// origins), with the next horizon values as targets at every step; and every sequence model of the catalogue trained
/// briefly on a real series, its figure measured on the baselines' windows.
/// </summary>
public class SequenceWindowsTests
{
    private const int Window = 30, Horizon = 7;

    private static readonly Lazy<double[]> TempMax = new(() => CsvSeries.ReadColumn(ExampleData.SeattleWeather, "temp_max"));

    private static IEnumerable<(string Name, Dataset Set, int Start, int End)> Segments(DataSplit split, int length) =>
    [
        ("train", split.Train, 0, length * 7 / 10),
        ("valid", split.Valid, length * 7 / 10, length * 9 / 10),
        ("test", split.Test, length * 9 / 10, length),
    ];

    /// <summary>Series value = its index, so de-standardised targets say which rows they came from.</summary>
    [Fact]
    public void Targets_at_every_step_are_the_next_horizon_values_and_stay_in_their_segment()
    {
        const int length = 1000, window = 24, horizon = 3;
        double[] index = [.. Enumerable.Range(0, length).Select(i => (double)i)];
        DataSplit split = SeriesWindows.CreateSequence([index], 0, window, horizon, "index");
        Assert.Equal(horizon, split.SequenceHorizon);
        foreach (var (name, set, start, end) in Segments(split, length))
        {
            Assert.Equal((window, 1, window * horizon), (set.Steps, set.Features, set.TargetSize));
            Assert.Equal(end - start - window - horizon + 1, set.Count);
            for (int i = 0; i < set.Count; i++)
            {
                int first = start + i;
                Assert.Equal(first + window, set.Origins![i]);
                var y = set.Target(i);
                for (int t = 0; t < window; t++)
                    for (int k = 1; k <= horizon; k++)
                    {
                        double row = Math.Round(y[t * horizon + k - 1] * split.TargetScale + split.TargetMean);
                        Assert.Equal(first + t + k, row);
                        Assert.InRange(row, start, end - 1);   // no target crosses the segment's boundary
                    }
            }
        }
    }

    [Fact]
    public void Seattle_sequence_windows_are_the_vector_windows_with_targets_from_the_raw_series()
    {
        double[] raw = TempMax.Value;
        var source = new CsvSource([raw], Window, "seattle-weather.csv");
        DataSplit sequence = source.Sequence(Horizon), vector = source.Vector(Horizon);

        // statistics of the training part only (rows 0 .. 1021 of 1461)
        double[] train = raw[..1022];
        double mean = train.Average();
        double std = Math.Sqrt(train.Select(v => (v - mean) * (v - mean)).Average());
        Assert.Equal(mean, sequence.TargetMean, 1e-9);
        Assert.Equal(std, sequence.TargetScale, 1e-9);
        Assert.NotEqual(raw.Average(), sequence.TargetMean, 3);
        Assert.Equal((vector.TargetMean, vector.TargetScale), (sequence.TargetMean, sequence.TargetScale));

        var sets = Segments(sequence, raw.Length).Zip([vector.Train, vector.Valid, vector.Test]);
        foreach (var ((name, set, start, end), vectorSet) in sets)
        {
            Assert.Equal(vectorSet.Count, set.Count);
            Assert.Equal(vectorSet.Origins, set.Origins);
            Assert.Equal(vectorSet.Inputs, set.Inputs);
            for (int i = 0; i < set.Count; i++)
            {
                int first = set.Origins![i] - Window;
                Assert.True(first >= start && set.Origins[i] + Horizon <= end, $"{name} window {i} crosses a boundary");
                var y = set.Target(i);
                for (int t = 0; t < Window; t++)
                    for (int k = 1; k <= Horizon; k++)
                        Assert.Equal(raw[first + t + k], y[t * Horizon + k - 1] * sequence.TargetScale + sequence.TargetMean, 1e-4);
                // the last step's targets are the vector targets, bit for bit
                Assert.Equal(vectorSet.Target(i).ToArray(), y[^Horizon..].ToArray());
            }
        }
    }

    [Fact]
    public void Differenced_co2_sequence_windows_keep_the_vector_windows_origins()
    {
        double[] co2 = CsvSeries.ReadColumn(ExampleData.Co2Concentration, "CO2");
        var source = new CsvSource([co2], 24, "co2-concentration.csv", [12]);
        DataSplit sequence = source.Sequence(12), vector = source.Vector(12);
        Assert.NotNull(sequence.Differencing);
        foreach (var (s, v) in new[] { (sequence.Train, vector.Train), (sequence.Valid, vector.Valid), (sequence.Test, vector.Test) })
        {
            Assert.Equal(v.Origins, s.Origins);
            for (int i = 0; i < s.Count; i++)
            {
                Assert.Equal(v.Target(i).ToArray(), s.Target(i)[^12..].ToArray());
                // step 0's first target: the differenced value one row after the window's first row, x[o] - x[o - 12]
                int first = s.Origins![i] - 24;
                double d = co2[first + 1] - co2[first + 1 - 12];
                Assert.Equal(d, s.Target(i)[0] * sequence.TargetScale + sequence.TargetMean, 1e-3);
            }
        }
    }

    public static TheoryData<string> SequenceModels =>
        [.. ModelCatalogue.All.Where(e => e.Task.Kind == ForecastKind.Sequence).Select(e => e.Name)];

    /// <summary>
    /// Each sequence model, 2 epochs on Seattle's temp_max: its figure is the MSE of its last step's 7 outputs against
    /// the vector windows the naive and linear baselines are measured on (same count), in degrees C squared, and every
    /// epoch's validation MSE is that same measure.
    /// </summary>
    [Theory]
    [MemberData(nameof(SequenceModels))]
    public void A_sequence_model_trains_on_seattle_and_is_measured_on_the_baselines_windows(string model)
    {
        var entry = ModelCatalogue.Find(model);
        var task = entry.TaskFor(Horizon);
        var spec = entry.SpecFor(task)!;
        var source = new CsvSource([TempMax.Value], Window, "seattle-weather.csv");
        DataSplit training = task.TrainingData(source), evaluation = task.EvaluationData(source);
        Assert.Equal(evaluation.Valid.Count, training.Valid.Count);
        Assert.Equal(evaluation.Test.Count, training.Test.Count);
        Assert.Equal(evaluation.Valid.Origins, training.Valid.Origins);

        var options = new TrainingOptions(Epochs: 2, LearningRate: entry.LearningRate ?? 1e-3f);
        var result = Trainer.Train(spec, training, options);
        var (valid, test) = ForecastFigures.Of(task, spec, result, training, evaluation);

        // by hand: the model's outputs at the last step against the vector targets, in the series' units
        var evaluator = new Evaluator(spec, training.Train, options.BatchSize);
        double Expected(Dataset trainingSet, Dataset evaluationSet)
        {
            var outputs = evaluator.Predict(result.Parameters, trainingSet);
            int size = trainingSet.TargetSize;
            double sum = 0;
            for (int i = 0; i < evaluationSet.Count; i++)
                for (int k = 0; k < Horizon; k++)
                {
                    double d = (outputs[i * size + size - Horizon + k] - evaluationSet.Target(i)[k]) * evaluation.TargetScale;
                    sum += d * d;
                }
            return sum / (evaluationSet.Count * Horizon);
        }
        double scale2 = evaluation.TargetScale * evaluation.TargetScale;
        Assert.Equal(Expected(training.Valid, evaluation.Valid), valid, valid * 1e-6);
        Assert.Equal(Expected(training.Test, evaluation.Test), test, test * 1e-6);
        Assert.Equal(result.History[^1].ValidMse * scale2, valid, valid * 1e-12);

        double naive = ForecastFigures.NaiveMse(evaluation, evaluation.Valid);
        Assert.InRange(valid, 0.2 * naive, 10 * naive);   // degrees C squared, like the naive forecast's (22)
    }

    [Fact]
    public void A_sequence_model_on_a_differenced_series_is_measured_in_the_series_units()
    {
        var entry = ModelCatalogue.Find("gru");
        var task = entry.TaskFor(12);
        var spec = entry.SpecFor(task)!;
        double[] co2 = CsvSeries.ReadColumn(ExampleData.Co2Concentration, "CO2");
        var source = new CsvSource([co2], 24, "co2-concentration.csv", [12]);
        DataSplit training = task.TrainingData(source), evaluation = task.EvaluationData(source);
        var options = new TrainingOptions(Epochs: 2);
        var result = Trainer.Train(spec, training, options);
        var (valid, _) = ForecastFigures.Of(task, spec, result, training, evaluation);

        // by hand: undo each window's last-step forecast and compare with the actual CO2 values
        var outputs = new Evaluator(spec, training.Train, options.BatchSize).Predict(result.Parameters, training.Valid);
        int size = training.Valid.TargetSize;
        double sum = 0;
        for (int i = 0; i < training.Valid.Count; i++)
        {
            int origin = training.Valid.Origins![i];
            var forecast = Enumerable.Range(0, 12).Select(k => outputs[i * size + size - 12 + k] * training.TargetScale + training.TargetMean).ToArray();
            var undone = training.Differencing!.Undo(origin, forecast);
            for (int k = 0; k < 12; k++) sum += Math.Pow(undone[k] - co2[origin + k], 2);
        }
        Assert.Equal(sum / (training.Valid.Count * 12), valid, valid * 1e-9);
        Assert.Equal(result.History[^1].ValidMse * training.TargetScale * training.TargetScale, valid, valid * 1e-12);
        Assert.True(valid < ForecastFigures.NaiveMse(evaluation, evaluation.Valid), $"gru {valid} vs naive (ppm^2)");
    }
}
