using System.Text.Json;

namespace RnnCluster.Client.Tests;

/// <summary>The README's real-series examples, run as written: each beats its naive baseline.</summary>
[Trait("Category", "Reproduction")]
public class RealSeriesTests
{
    private static (double Model, double Naive, double Linear) Run(params string[] args)
    {
        var run = CliRun.Of([.. args, "--json"]);
        Assert.True(run.ExitCode == 0, run.Error);
        var results = JsonDocument.Parse(run.Output).RootElement.GetProperty("results");
        return (results[0].GetProperty("valid_mse").GetDouble(), results[1].GetProperty("valid_mse").GetDouble(), results[2].GetProperty("valid_mse").GetDouble());
    }

    [Fact]
    public void Seattle_temperature_a_week_ahead_beats_the_naive_forecast()
    {
        var (model, naive, _) = Run("train", "--model", "seq2vec-rnn", "--horizon", "7", "--data", Repository.ExampleData("seattle-weather.csv"),
            "--column", "temp_max", "--window", "30", "--epochs", "60", "--early-stopping", "5");
        Assert.True(model < 0.8 * naive, $"seq2vec-rnn {model} vs naive {naive} (squared degrees C)");
    }

    [Fact]
    public void Co2_differenced_by_twelve_beats_the_naive_forecast_a_year_ahead()
    {
        var (model, naive, _) = Run("train", "--model", "seq2vec-rnn", "--horizon", "12", "--data", Repository.ExampleData("co2-concentration.csv"),
            "--column", "CO2", "--window", "24", "--difference", "12", "--epochs", "20");
        Assert.True(model < 0.2 * naive, $"seq2vec-rnn {model} vs naive {naive} (ppm^2)");
    }
}
