using System.Globalization;
using System.Text.Json;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Client.Tests;

/// <summary>
/// Sequence-to-sequence models of the catalogue on a CSV column, through the command line: the table's rows are
/// measured on the same windows, the progress line shows the table's measure, and a saved model predicts.
/// </summary>
public sealed class SequenceOnCsvTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-seq-").FullName;

    private static string Seattle => Repository.ExampleData("seattle-weather.csv");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Lstm_on_seattle_reports_the_next_week_after_each_window_beside_the_baselines()
    {
        var run = CliRun.Of("train", "--model", "lstm", "--horizon", "7", "--data", Seattle, "--column", "temp_max", "--window", "30",
            "--epochs", "2", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var root = JsonDocument.Parse(run.Output).RootElement;
        // 1461 rows cut at 1022 and 1314: 292 - 30 - 7 + 1 validation and 147 - 30 - 7 + 1 test windows, for every row
        Assert.Equal(256, root.GetProperty("valid_windows").GetInt32());
        Assert.Equal(111, root.GetProperty("test_windows").GetInt32());
        Assert.Contains("next 7 value(s) after each window, in the series' units (lstm: its 7 outputs at the window's last step)",
            root.GetProperty("figure").GetString());
        var results = root.GetProperty("results");
        // then the classical baselines (ClassicalBaselineRowsTests)
        Assert.Equal(new[] { "lstm", "naive (baseline)", "linear (baseline, least squares)" }, results.EnumerateArray().Take(3).Select(r => r.GetProperty("name").GetString()));
        double lstm = results[0].GetProperty("valid_mse").GetDouble(), naive = results[1].GetProperty("valid_mse").GetDouble();
        // the naive forecast on the vector windows of the series, the same windows the lstm's figure is taken on
        var evaluation = new CsvSource([CsvSeries.ReadColumn(Seattle, "temp_max")], 30, "seattle").Vector(7);
        Assert.Equal(256, evaluation.Valid.Count);
        Assert.Equal(ForecastFigures.NaiveMse(evaluation, evaluation.Valid), naive, 1e-9);
        // the last epoch's validation MSE is the table's figure, not the loss over every step
        Assert.Equal(lstm, root.GetProperty("history")[1].GetProperty("valid_mse").GetDouble(), lstm * 1e-12);
        Assert.InRange(lstm, 0.2 * naive, 5 * naive);
    }

    [Fact]
    public void The_progress_line_shows_the_tables_measure_on_several_columns()
    {
        var run = CliRun.Of("train", "--model", "seq2seq-rnn", "--horizon", "7", "--data", Seattle, "--column", "temp_max,temp_min",
            "--window", "30", "--epochs", "2");
        Assert.True(run.ExitCode == 0, run.Error);
        var lines = run.Output.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("per epoch: loss = training loss over every step's next 7 values; val_mse = the table's validation figure", lines);
        Assert.Contains(lines, l => l.StartsWith("(MSE of the forecast of the next 7 value(s) after each window", StringComparison.Ordinal)
            && l.Contains("every row on the same 256 validation and 111 test windows"));
        string lastEpoch = lines.Last(l => l.StartsWith("epoch   2/2", StringComparison.Ordinal));
        string perEpoch = lastEpoch.Split("val_mse", StringSplitOptions.TrimEntries)[1].Split(' ')[0];
        string row = lines.Single(l => l.StartsWith("seq2seq-rnn ", StringComparison.Ordinal));
        Assert.Equal(perEpoch, row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    [Fact]
    public void A_saved_conv_gru_round_trips_through_predict()
    {
        string file = Path.Combine(_dir, "conv-gru.json");
        var train = CliRun.Of("train", "--model", "conv-gru", "--horizon", "7", "--data", Seattle, "--column", "temp_max", "--window", "30",
            "--epochs", "2", "--save", file, "--json");
        Assert.True(train.ExitCode == 0, train.Error);
        string? trainedHash = JsonDocument.Parse(train.Output).RootElement.GetProperty("results")[0].GetProperty("weights_hash").GetString();

        var saved = SavedModel.Read(file);
        Assert.Equal((ForecastKind.Sequence, 7, 3, 2, 30), (saved.Task.Kind, saved.Task.Horizon, saved.Task.TargetStart, saved.Task.TargetStride, saved.Window));
        var (network, parameters) = saved.Build();
        Assert.Equal(trainedHash, WeightsHash.Of(parameters));

        var predict = CliRun.Of("predict", "--model", file, "--data", Seattle, "--json");
        Assert.True(predict.ExitCode == 0, predict.Error);
        var forecast = JsonDocument.Parse(predict.Output).RootElement.GetProperty("forecast").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        // by hand: the last 30 temperatures standardised with the saved statistics, the outputs at the last kept step (29)
        var values = CsvSeries.ReadColumn(Seattle, "temp_max");
        double mean = saved.ColumnMeans![0], scale = saved.ColumnScales![0];
        var window = values[^30..].Select(v => (float)((v - mean) / scale)).ToArray();
        network.Context.Training = false;
        var output = network.Forward(parameters, window, 1).ToArray();
        Assert.Equal(14 * 7, output.Length);   // steps 3, 5, ..., 29
        Assert.Equal(7, forecast.Length);
        for (int k = 0; k < 7; k++) Assert.Equal(output[13 * 7 + k] * scale + mean, forecast[k], 1e-9);
        Assert.All(forecast, v => Assert.InRange(v, -10, 40));

        var text = CliRun.Of("predict", "--model", file, "--data", Seattle);
        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith("t+1  " + forecast[0].ToString("0.######", CultureInfo.InvariantCulture), text.Output);
    }

    [Fact]
    public void A_saved_model_of_a_differenced_series_predicts_in_the_series_units()
    {
        string csv = Repository.ExampleData("co2-concentration.csv"), file = Path.Combine(_dir, "gru-co2.json");
        var train = CliRun.Of("train", "--model", "gru", "--horizon", "12", "--data", csv, "--column", "CO2", "--window", "24",
            "--difference", "12", "--epochs", "2", "--save", file);
        Assert.True(train.ExitCode == 0, train.Error);
        var saved = SavedModel.Read(file);
        Assert.Equal(SavedModel.DifferencedFormat, saved.Format);
        Assert.Equal(new[] { 12 }, saved.Differences!);

        var predict = CliRun.Of("predict", "--model", file, "--data", csv, "--json");
        Assert.True(predict.ExitCode == 0, predict.Error);
        var forecast = JsonDocument.Parse(predict.Output).RootElement.GetProperty("forecast").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        // by hand: the last 24 year-on-year differences, standardised; the last step's 12 outputs back to ppm, plus last year's values
        var co2 = CsvSeries.ReadColumn(csv, "CO2");
        int n = co2.Length;
        double mean = saved.ColumnMeans![0], scale = saved.ColumnScales![0];
        var window = Enumerable.Range(n - 24, 24).Select(t => (float)((co2[t] - co2[t - 12] - mean) / scale)).ToArray();
        var (network, parameters) = saved.Build();
        network.Context.Training = false;
        var output = network.Forward(parameters, window, 1).ToArray();
        Assert.Equal(12, forecast.Length);
        for (int k = 0; k < 12; k++)
            Assert.Equal(output[output.Length - 12 + k] * scale + mean + co2[n - 12 + k], forecast[k], 1e-9);
        Assert.All(forecast.Select((v, k) => v - co2[n - 12 + k]), rise => Assert.InRange(rise, -5, 10));   // ppm over a year
    }

    [Fact]
    public void Conv_gru_on_an_odd_window_names_the_window()
    {
        var run = CliRun.Of("train", "--model", "conv-gru", "--data", Seattle, "--column", "temp_max", "--window", "31", "--epochs", "1");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--window: 31 does not fit the model's strided targets", run.Error);
        Assert.Contains("e.g. 30 or 32", run.Error);
    }
}
