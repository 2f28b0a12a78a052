using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RnnCluster.Client.Tests;

/// <summary>
/// A small real sweep on the embedded silo: a grid over two learning rates of the linear model, two epochs each. It
/// completes (exit 0), the table ranks both trials by validation MSE with their weights hashes, and --json prints the
/// final status with both trials completed.
/// </summary>
public sealed class SweepEndToEndTests : IDisposable
{
    private const string Spec = """
        {
          "model": "linear",
          "search": "grid",
          "seeds_per_config": 1,
          "space": { "learning_rate": { "values": [0.001, 0.01] }, "epochs": 2 }
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-sweep-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string SpecFile()
    {
        string path = Path.Combine(_dir, "sweep.json");
        File.WriteAllText(path, Spec);
        return path;
    }

    [Fact]
    public void A_grid_of_two_learning_rates_completes_and_ranks_both_trials()
    {
        var run = CliRun.Of("sweep", SpecFile(), "--sweep-id", "e2e-table");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}\n{run.Output}");

        Assert.Contains("sweep e2e-table: 2 trials, ", run.Output);
        var rows = Regex.Matches(run.Output, @"^ +(\d) +([01]) +completed +2 +(\d+\.\d+) +(\d+\.\d+) +([0-9a-f]{16}) +(lr=0\.0\d+) epochs=2\r?$", RegexOptions.Multiline);
        Assert.Equal(2, rows.Count);
        Assert.Equal(["1", "2"], rows.Select(r => r.Groups[1].Value));
        Assert.Equal(["0", "1"], rows.Select(r => r.Groups[2].Value).Order());
        double first = double.Parse(rows[0].Groups[3].Value, CultureInfo.InvariantCulture);
        double second = double.Parse(rows[1].Groups[3].Value, CultureInfo.InvariantCulture);
        Assert.True(first <= second, $"not sorted by the metric: {first} then {second}");
        Assert.NotEqual(rows[0].Groups[5].Value, rows[1].Groups[5].Value);
        Assert.Equal(["lr=0.001", "lr=0.01"], rows.Select(r => r.Groups[6].Value).Order());
        Assert.Matches(@"(?m)^naive +0\.\d+ +0\.\d+\r?$", run.Output);
        Assert.Matches(@"(?m)^linear +0\.\d+ +0\.\d+\r?$", run.Output);
        Assert.DoesNotContain('\u001b', run.Output);
    }

    [Fact]
    public void With_json_the_final_status_is_on_stdout_and_the_progress_on_stderr()
    {
        var run = CliRun.Of("sweep", SpecFile(), "--json");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}\n{run.Output}");

        var root = JsonDocument.Parse(run.Output).RootElement;
        Assert.Equal("completed", root.GetProperty("state").GetString());
        Assert.StartsWith("sweep-", root.GetProperty("sweep_id").GetString());
        Assert.Equal("valid_mse", root.GetProperty("metric").GetString());
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(2, trials.Count);
        Assert.All(trials, t =>
        {
            Assert.Equal("completed", t.GetProperty("state").GetString());
            Assert.Equal(2, t.GetProperty("valid_mse").GetArrayLength());
            Assert.Matches("^[0-9a-f]{16}$", t.GetProperty("weights_hash").GetString());
            Assert.True(t.GetProperty("metric").GetDouble() > 0);
        });
        Assert.Contains("sweep " + root.GetProperty("sweep_id").GetString() + ": 2 trials", run.Error);
    }

    [Fact]
    public void A_sweep_on_a_csv_series_ends_with_the_classical_baselines_beside_naive_and_linear()
    {
        string path = Path.Combine(_dir, "co2.sweep.json");
        File.WriteAllText(path, $$$"""
            {"model": "linear", "data": {"csv": {{{JsonSerializer.Serialize(Repository.ExampleData("co2-concentration.csv"))}}}, "column": "CO2", "window": 24, "season": 12, "arima": "1,1,0"},
             "space": {"epochs": 1}}
            """);

        var run = CliRun.Of("sweep", path, "--sweep-id", "e2e-classical");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}\n{run.Output}");
        var baselines = run.Output[run.Output.LastIndexOf("baseline", StringComparison.Ordinal)..];
        foreach (var row in new[] { "naive", "linear (least squares)", "seasonal naive (season 12)", "weighted moving average (n 5, weights 1..5)", "ARIMA(1,1,0), given" })
            Assert.Matches(new Regex($@"(?m)^{Regex.Escape(row)} +\d+\.\d+ +\d+\.\d+"), baselines);
    }
}
