using System.Text.Json;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client.Tests;

public sealed class SaveAndPredictTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-save-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_saved_linear_model_forecasts_x_times_kernel_plus_bias_in_original_units()
    {
        string csv = Repository.ExampleData("seattle-weather.csv");
        string file = Path.Combine(_dir, "linear.json");
        var train = CliRun.Of("train", "--model", "linear", "--horizon", "3", "--epochs", "2", "--data", csv, "--column", "temp_max",
            "--window", "7", "--save", file);
        Assert.True(train.ExitCode == 0, train.Error);

        var predict = CliRun.Of("predict", "--model", file, "--data", csv, "--json");
        Assert.True(predict.ExitCode == 0, predict.Error);
        var forecast = JsonDocument.Parse(predict.Output).RootElement.GetProperty("forecast").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        // By hand: standardise the last 7 temperatures with the saved statistics, y = x K + b, back to degrees.
        var saved = SavedModel.Read(file);
        var values = CsvSeries.ReadColumn(csv, "temp_max");
        var kernel = saved.Weights["dense/kernel"].Values;   // [7, 3]
        var bias = saved.Weights["dense/bias"].Values;       // [3]
        double mean = saved.ColumnMeans![0], scale = saved.ColumnScales![0];
        Assert.Equal(3, forecast.Length);
        for (int k = 0; k < 3; k++)
        {
            double y = bias[k];
            for (int t = 0; t < 7; t++) y += (float)((values[values.Length - 7 + t] - mean) / scale) * (double)kernel[t * 3 + k];
            Assert.Equal(y * scale + mean, forecast[k], 3);
        }
        Assert.All(forecast, v => Assert.InRange(v, -10, 40));
    }

    [Fact]
    public void Predict_rejects_a_missing_model_file_and_a_short_series()
    {
        var missing = CliRun.Of("predict", "--model", Path.Combine(_dir, "absent.json"), "--data", Repository.ExampleData("co2-concentration.csv"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("--model", missing.Error);

        string file = Path.Combine(_dir, "m.json");
        Assert.Equal(0, CliRun.Of("train", "--model", "linear", "--epochs", "1", "--data", Repository.ExampleData("co2-concentration.csv"),
            "--column", "CO2", "--window", "24", "--save", file).ExitCode);
        string shortCsv = Path.Combine(_dir, "short.csv");
        File.WriteAllText(shortCsv, "CO2\n" + string.Join("\n", Enumerable.Range(0, 10).Select(i => 315 + i)) + "\n");
        var tooShort = CliRun.Of("predict", "--model", file, "--data", shortCsv);
        Assert.Equal(2, tooShort.ExitCode);
        Assert.Contains("--data", tooShort.Error);
        Assert.Contains("window of 24", tooShort.Error);
    }

    [Fact]
    public void Predict_takes_the_forecast_column_and_refuses_another_for_a_model_that_knows_its_columns()
    {
        string csv = Repository.ExampleData("seattle-weather.csv");
        string single = Path.Combine(_dir, "one.json"), multi = Path.Combine(_dir, "two.json");
        Assert.Equal(0, CliRun.Of("train", "--model", "linear", "--epochs", "1", "--data", csv, "--column", "temp_max", "--window", "10", "--save", single).ExitCode);
        Assert.Equal(0, CliRun.Of("train", "--model", "linear", "--epochs", "1", "--data", csv, "--column", "temp_max,temp_min", "--window", "10", "--save", multi).ExitCode);

        foreach (string model in new[] { single, multi })
        {
            var known = CliRun.Of("predict", "--model", model, "--data", csv);
            var named = CliRun.Of("predict", "--model", model, "--data", csv, "--column", "temp_max");
            Assert.True(named.ExitCode == 0, named.Error);
            Assert.Equal(known.Output, named.Output);
        }

        var other = CliRun.Of("predict", "--model", single, "--data", csv, "--column", "temp_min");
        Assert.Equal(2, other.ExitCode);
        Assert.Equal("error: --column: 'temp_min': the model was trained on column 'temp_max' (its scale and mean); give --column temp_max", other.Error.Trim());
        Assert.Equal("", other.Output);
        var input = CliRun.Of("predict", "--model", multi, "--data", csv, "--column", "temp_min");
        Assert.Equal(2, input.ExitCode);
        Assert.Contains("--column: 'temp_min': the model forecasts column 'temp_max' from 2 columns (temp_max, temp_min); give --column temp_max", input.Error);
    }
}
