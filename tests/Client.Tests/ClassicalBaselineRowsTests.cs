using System.Text.Json;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Client.Tests;

/// <summary>
/// `train --data` tables carry the classical baselines on the table's own windows: the seasonal naive row (--season)
/// equals the MSE computed here by hand over the same validation and test windows, and the moving average and ARIMA
/// rows are there with their settings; a season longer than the training part is refused before anything starts.
/// </summary>
public class ClassicalBaselineRowsTests
{
    [Fact]
    public void The_seasonal_naive_row_is_the_mse_of_the_value_one_season_earlier_on_the_tables_windows()
    {
        string csv = Repository.ExampleData("co2-concentration.csv");
        var run = CliRun.Of("train", "--model", "linear", "--horizon", "12", "--data", csv, "--column", "CO2", "--window", "24",
            "--epochs", "1", "--season", "12", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var rows = JsonDocument.Parse(run.Output).RootElement.GetProperty("results").EnumerateArray()
            .ToDictionary(r => r.GetProperty("name").GetString()!, r => (Valid: r.GetProperty("valid_mse").GetDouble(), Test: r.GetProperty("test_mse").GetDouble()));
        Assert.Contains("weighted moving average (n 5, weights 1..5)", rows.Keys);
        Assert.Contains(rows.Keys, k => k.StartsWith("ARIMA(", StringComparison.Ordinal) && k.Contains("by AIC"));

        var series = CsvSeries.ReadColumn(csv, "CO2");
        var split = SeriesWindows.Create([series], 0, 24, 12, "co2");
        foreach (var (set, figure) in new[] { (split.Valid, rows["seasonal naive (season 12)"].Valid), (split.Test, rows["seasonal naive (season 12)"].Test) })
        {
            double sum = 0;
            foreach (int origin in set.Origins!)
                for (int k = 0; k < 12; k++)
                {
                    double error = series[origin + k - 12] - series[origin + k];
                    sum += error * error;
                }
            Assert.Equal(sum / (set.Origins!.Length * 12), figure, 9);
        }
    }

    [Fact]
    public void A_season_longer_than_the_training_part_is_refused_before_training()
    {
        var run = CliRun.Of("train", "--model", "linear", "--data", Repository.ExampleData("co2-concentration.csv"), "--column", "CO2", "--window", "24", "--season", "900");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("error: --season: 900 is out of range; allowed 1..518 (the training part's values)", run.Error.Trim());
        Assert.DoesNotContain("job ", run.Output);
    }
}
