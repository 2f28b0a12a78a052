using System.Text.Json;

namespace RnnCluster.Client.Tests;

public class TrainCommandTests
{
    [Fact]
    public void Models_lists_the_catalogue()
    {
        var run = CliRun.Of("models");
        Assert.Equal(0, run.ExitCode);
        foreach (var name in new[] { "naive", "linear", "simple-rnn-1", "deep-rnn", "deep-rnn-dense" })
            Assert.Contains(name + " ", run.Output);
    }

    [Fact]
    public void Train_prints_each_epoch_and_a_table_with_the_baselines()
    {
        var run = CliRun.Of("train", "--model", "linear", "--epochs", "2");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("epoch   1/2", run.Output);
        Assert.Contains("epoch   2/2", run.Output);
        Assert.Contains("naive (baseline)", run.Output);
        Assert.Matches(@"\nlinear +0\.0\d+ +0\.0\d+ +[0-9a-f]{16}", run.Output);
    }

    [Fact]
    public void The_same_seed_prints_the_same_weights_hash_and_another_seed_another()
    {
        static JsonElement Linear(string seed)
        {
            var run = CliRun.Of("train", "--model", "linear", "--epochs", "1", "--seed", seed, "--json");
            Assert.Equal(0, run.ExitCode);
            return JsonDocument.Parse(run.Output).RootElement.GetProperty("results")[0];
        }
        var a = Linear("7");
        var b = Linear("7");
        var c = Linear("8");
        Assert.Equal("linear", a.GetProperty("name").GetString());
        Assert.Matches("^[0-9a-f]{16}$", a.GetProperty("weights_hash").GetString());
        Assert.Equal(a.GetProperty("weights_hash").GetString(), b.GetProperty("weights_hash").GetString());
        Assert.Equal(a.GetProperty("valid_mse").GetDouble(), b.GetProperty("valid_mse").GetDouble());
        Assert.NotEqual(a.GetProperty("weights_hash").GetString(), c.GetProperty("weights_hash").GetString());
    }

    [Fact]
    public void Trains_on_a_csv_column_and_reports_original_units()
    {
        var run = CliRun.Of("train", "--model", "linear", "--epochs", "3", "--data", Repository.ExampleData("seattle-weather.csv"),
            "--column", "temp_max", "--window", "14", "--json");
        Assert.Equal(0, run.ExitCode);
        var results = JsonDocument.Parse(run.Output).RootElement.GetProperty("results");
        double linear = results[0].GetProperty("valid_mse").GetDouble();
        double naive = results[1].GetProperty("valid_mse").GetDouble();
        // Daily maximum temperature in degrees C: yesterday's value misses by a few degrees, so the MSE is in
        // squared degrees (several units), not in standardised units (well below 1).
        Assert.InRange(naive, 3.0, 40.0);
        Assert.InRange(linear, 1.0, 40.0);
    }

    [Fact]
    public void Trains_on_several_columns_forecasting_the_first()
    {
        var run = CliRun.Of("train", "--model", "seq2vec-rnn", "--horizon", "3", "--epochs", "2", "--data", Repository.ExampleData("seattle-weather.csv"),
            "--column", "temp_max,temp_min,precipitation,wind", "--window", "14", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var results = JsonDocument.Parse(run.Output).RootElement.GetProperty("results");
        Assert.Equal("seq2vec-rnn", results[0].GetProperty("name").GetString());
        Assert.InRange(results[0].GetProperty("valid_mse").GetDouble(), 1.0, 60.0);
        Assert.Contains("4 column(s)", run.Error);
    }

    [Fact]
    public void Differencing_co2_by_twelve_forecasts_a_year_ahead_in_ppm_better_than_the_naive_forecast()
    {
        var run = CliRun.Of("train", "--model", "linear", "--horizon", "12", "--epochs", "20", "--data", Repository.ExampleData("co2-concentration.csv"),
            "--column", "CO2", "--window", "24", "--difference", "12", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var results = JsonDocument.Parse(run.Output).RootElement.GetProperty("results");
        double linear = results[0].GetProperty("valid_mse").GetDouble();
        double naive = results[1].GetProperty("valid_mse").GetDouble();
        // CO2 rises about 2 ppm a year with a 12-month cycle of a few ppm: repeating the last value misses by several
        // ppm (an MSE of ~10 ppm^2); a forecast of the differenced series, undone, is within a ppm or so.
        Assert.InRange(naive, 4.0, 40.0);
        Assert.True(linear < naive / 4, $"linear on the differenced series {linear} should beat the naive forecast {naive} by far");
    }

    [Fact]
    public void Plot_writes_the_learning_curves_and_the_forecast_as_png()
    {
        string dir = Path.Combine(Path.GetTempPath(), "rnncluster-plot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var run = CliRun.Of("train", "--model", "linear", "--horizon", "12", "--epochs", "3", "--data", Repository.ExampleData("co2-concentration.csv"),
                "--column", "CO2", "--window", "24", "--difference", "12", "--plot", dir);
            Assert.True(run.ExitCode == 0, run.Error);
            foreach (var name in new[] { "learning-curves.png", "forecast.png" })
            {
                var bytes = File.ReadAllBytes(Path.Combine(dir, name));
                Assert.True(bytes.Length > 5000, $"{name} has only {bytes.Length} bytes");
                Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_model_file_trains_with_its_task_read_from_its_output()
    {
        string file = Path.Combine(Path.GetTempPath(), $"rnncluster-spec-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, """{"layers":[{"type":"gru","units":8,"return_sequences":true},{"type":"gru","units":8},{"type":"dense","units":10}]}""");
            var run = CliRun.Of("train", "--model-file", file, "--epochs", "1", "--json");
            Assert.True(run.ExitCode == 0, run.Error);
            var results = JsonDocument.Parse(run.Output).RootElement.GetProperty("results");
            Assert.Equal(Path.GetFileNameWithoutExtension(file), results[0].GetProperty("name").GetString());
            Assert.Contains("10 steps ahead", run.Error);
            // the baselines are those of ten steps ahead: the naive forecast's 0.257
            Assert.Equal(0.257, results[1].GetProperty("valid_mse").GetDouble(), 3);

            File.WriteAllText(file, """{"layers":[{"type":"gru","units":0}]}""");
            var bad = CliRun.Of("train", "--model-file", file);
            Assert.Equal(2, bad.ExitCode);
            Assert.StartsWith("error: --model-file", bad.Error);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
