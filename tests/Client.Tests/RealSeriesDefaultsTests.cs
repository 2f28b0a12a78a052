using System.Text.Json;

namespace RnnCluster.Client.Tests;

/// <summary>
/// `train`'s defaults on the repository's real series: the linear baseline is fitted by least squares, says so, and is
/// never worse than the naive forecast on validation; the trained models run with early stopping (best weights kept)
/// within an epoch cap and say so; --fit least-squares fits the linear model itself, and nothing else.
/// </summary>
public class RealSeriesDefaultsTests
{
    private static JsonElement Results(CliRun run)
    {
        Assert.True(run.ExitCode == 0, run.Error);
        return JsonDocument.Parse(run.Output).RootElement;
    }

    private static (double Valid, double Test) Row(JsonElement root, string name)
    {
        var row = root.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("name").GetString() == name);
        return (row.GetProperty("valid_mse").GetDouble(), row.GetProperty("test_mse").GetDouble());
    }

    [Theory]
    [InlineData("seattle-weather.csv", "temp_max", 1)]
    [InlineData("seattle-weather.csv", "temp_max", 10)]
    [InlineData("seattle-weather.csv", "temp_min", 1)]
    [InlineData("seattle-weather.csv", "temp_min", 10)]
    [InlineData("co2-concentration.csv", "CO2", 1)]
    [InlineData("co2-concentration.csv", "CO2", 10)]
    public void With_default_settings_the_linear_baseline_is_never_worse_than_naive(string file, string column, int horizon)
    {
        // `--model naive` trains nothing but the linear baseline job: the same job `train` starts beside any model on
        // this split (window 50 by default, this horizon)
        var root = Results(CliRun.Of("train", "--model", "naive", "--data", Repository.ExampleData(file), "--column", column,
            "--horizon", horizon.ToString(), "--json"));
        var naive = Row(root, "naive");
        var linear = Row(root, "linear (least squares)");
        Assert.True(linear.Valid <= naive.Valid, $"{file} {column}, {horizon} ahead: linear {linear.Valid} vs naive {naive.Valid}");
    }

    [Fact]
    public void A_model_on_data_stops_early_within_the_cap_keeps_its_best_epoch_and_says_so()
    {
        var run = CliRun.Of("train", "--model", "linear", "--data", Repository.ExampleData("seattle-weather.csv"), "--column", "temp_max",
            "--window", "14", "--json");
        var root = Results(run);
        Assert.Contains("training: early stopping (patience 10, best weights kept), at most 200 epochs: the default on --data", run.Error);
        Assert.Contains("200 epochs at most (early stopping, patience 10)", run.Error);
        var history = root.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("valid_mse").GetDouble()).ToList();
        Assert.InRange(history.Count, 11, 200);
        // stopped 10 epochs after its best (unless it reached the cap), and reports the best epoch's figure
        int best = history.IndexOf(history.Min()) + 1;
        if (history.Count < 200) Assert.Equal(best + 10, history.Count);
        Assert.Equal(history.Min(), Row(root, "linear").Valid, 9);
    }

    [Fact]
    public void On_data_epochs_alone_trains_exactly_that_many_and_the_chapter_keeps_twenty_without_a_training_line()
    {
        var run = CliRun.Of("train", "--model", "linear", "--data", Repository.ExampleData("seattle-weather.csv"), "--column", "temp_max",
            "--window", "14", "--epochs", "3", "--json");
        Assert.Equal(3, Results(run).GetProperty("history").GetArrayLength());
        Assert.DoesNotContain("early stopping", run.Error);

        var off = CliRun.Of("train", "--model", "linear", "--data", Repository.ExampleData("seattle-weather.csv"), "--column", "temp_max",
            "--window", "14", "--early-stopping", "0", "--json");
        Assert.Equal(20, Results(off).GetProperty("history").GetArrayLength());

        var chapter = CliRun.Of("train", "--model", "naive", "--json");
        Assert.True(chapter.ExitCode == 0, chapter.Error);
        Assert.DoesNotContain("training:", chapter.Error);
        Assert.Contains("linear, one step ahead", chapter.Error);
        Assert.Contains("20 epochs, batch 32", chapter.Error);
        Assert.Equal("linear", Results(chapter).GetProperty("results")[1].GetProperty("name").GetString());
    }

    [Fact]
    public void Fit_least_squares_fits_the_linear_model_in_one_epoch_and_refuses_any_other()
    {
        var root = Results(CliRun.Of("train", "--model", "linear", "--fit", "least-squares", "--data", Repository.ExampleData("co2-concentration.csv"),
            "--column", "CO2", "--json"));
        Assert.Equal(1, root.GetProperty("history").GetArrayLength());
        Assert.True(Row(root, "linear (least squares)").Valid <= Row(root, "naive (baseline)").Valid);

        var refused = CliRun.Of("train", "--model", "deep-rnn", "--fit", "least-squares", "--data", Repository.ExampleData("co2-concentration.csv"), "--column", "CO2");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("--fit: least squares fits the linear model only", refused.Error);
        var unknown = CliRun.Of("train", "--model", "linear", "--fit", "sgd");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("--fit: 'sgd' is not a fit; allowed adam, least-squares", unknown.Error);
        var epochs = CliRun.Of("train", "--model", "linear", "--fit", "least-squares", "--epochs", "5");
        Assert.Equal(2, epochs.ExitCode);
        Assert.Contains("--epochs: 5: a least-squares fit is one epoch", epochs.Error);
    }
}
