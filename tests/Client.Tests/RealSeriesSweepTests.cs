using System.Globalization;
using System.Text.RegularExpressions;

namespace RnnCluster.Client.Tests;

/// <summary>
/// Every catalogue model on a real series of the repository: `examples/co2.sweep.json` (the README's real-series table)
/// on the embedded silo trains each network on the CO2 series, differenced by 12, one month and twelve months ahead,
/// and its table measures every row on the same windows. Every network beats the naive forecast, stays within 1.5x
/// of the least-squares linear model, and the classical baselines are in the table.
/// </summary>
[Trait("Category", "Reproduction")]
public class RealSeriesSweepTests
{
    [Fact]
    public void Every_catalogue_network_trains_on_the_co2_series_and_is_measured_against_the_baselines()
    {
        var run = CliRun.Of("sweep", Path.Combine(Repository.Root, "examples", "co2.sweep.json"), "--sweep-id", "co2-test");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}\n{run.Output}");

        int oneStep = run.Output.IndexOf("\n1 step ahead", StringComparison.Ordinal);
        int twelveSteps = run.Output.IndexOf("\n12 steps ahead", StringComparison.Ordinal);
        Assert.True(oneStep > 0 && twelveSteps > oneStep, run.Output);
        var tables = new[] { (Rows(run.Output[oneStep..twelveSteps]), new[] { "linear", "simple-rnn-1", "deep-rnn", "deep-rnn-dense" }),
            (Rows(run.Output[twelveSteps..]), new[] { "linear", "deep-rnn-iterative", "seq2vec-rnn", "seq2seq-rnn", "ln-rnn", "lstm", "gru", "conv-gru", "wavenet" }) };
        foreach (var (rows, models) in tables)
        {
            double naive = rows["naive (baseline)"].Best, leastSquares = rows["linear (baseline, least squares)"].Best;
            Assert.Contains("seasonal naive (season 12)", rows.Keys);
            Assert.Contains("weighted moving average (n 5, weights 1..5)", rows.Keys);
            Assert.Contains(rows.Keys, k => k.StartsWith("ARIMA(", StringComparison.Ordinal));
            foreach (string model in models)
            {
                var row = rows.Single(r => r.Key.StartsWith($"model={model} ", StringComparison.Ordinal)).Value;
                Assert.Equal("1/1", row.Trials);
                Assert.True(row.Best < naive, $"{model}: {row.Best} does not beat naive's {naive}");
                Assert.True(row.Best < 1.5 * leastSquares, $"{model}: {row.Best} is not within 1.5x of the least-squares linear model's {leastSquares}");
            }
        }
    }

    private sealed record Row(string Trials, double Best);

    // "config  trials  chapter  median  best  best's test" rows of one horizon's table, by config
    private static Dictionary<string, Row> Rows(string table)
    {
        var rows = new Dictionary<string, Row>();
        foreach (Match m in Regex.Matches(table, @"^(\S.*?) {2,}(\d+/\d+|-) +(\S+) +(\S+) +(\d+\.\d+) +(\d+\.\d+)\r?$", RegexOptions.Multiline))
            rows.Add(m.Groups[1].Value, new Row(m.Groups[2].Value, double.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture)));
        return rows;
    }
}
