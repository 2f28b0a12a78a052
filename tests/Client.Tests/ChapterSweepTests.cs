using System.Globalization;
using System.Text.RegularExpressions;

namespace RnnCluster.Client.Tests;

/// <summary>
/// The README's first command: the quick chapter sweep (`examples/chapter15-quick.sweep.json`, every model of the
/// chapter's tables once, 20 epochs each) on the embedded silo. It completes, prints one table per horizon with the
/// book's figure beside ours, and shows the chapter's findings: the deep RNNs beat the one-step linear model, every
/// ten-step network but the iterated one-step model beats the ten-step linear model, the naive forecast is the
/// chapter's, and the ten-step linear model lands near the book's 0.0188.
/// </summary>
[Trait("Category", "Reproduction")]
public class ChapterSweepTests
{
    [Fact]
    public void The_quick_chapter_sweep_prints_the_chapters_tables_and_findings()
    {
        string spec = Path.Combine(Repository.Root, "examples", "chapter15-quick.sweep.json");
        var run = CliRun.Of("sweep", spec, "--sweep-id", "chapter15-test");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}\n{run.Output}");

        int oneStep = run.Output.IndexOf("\n1 step ahead", StringComparison.Ordinal);
        int tenSteps = run.Output.IndexOf("\n10 steps ahead", StringComparison.Ordinal);
        Assert.True(oneStep > 0 && tenSteps > oneStep, run.Output);
        var one = Rows(run.Output[oneStep..tenSteps]);
        var ten = Rows(run.Output[tenSteps..]);
        Assert.Equal(["model=linear", "model=simple-rnn-1", "model=deep-rnn", "model=deep-rnn-dense", "naive (baseline)", "linear (baseline)"], one.Keys);
        Assert.Equal(["model=linear horizon=10", "model=deep-rnn-iterative", "model=seq2vec-rnn", "model=seq2seq-rnn", "model=ln-rnn",
            "model=lstm", "model=gru", "model=conv-gru", "model=wavenet", "naive (baseline)", "linear (baseline)"], ten.Keys);
        Assert.All(one.Values.Concat(ten.Values).Where(r => r.Trials != "-"), r => Assert.Equal("1/1", r.Trials));

        // the book's figures beside ours
        Assert.Equal(["0.004", "0.014", "0.003", "0.003", "0.020", "0.004"], one.Values.Select(r => r.Chapter));
        Assert.Equal(["0.0188", "0.029", "0.008", "0.006", "-", "-", "-", "-", "-", "0.223", "0.0188"], ten.Values.Select(r => r.Chapter));

        // the chapter's findings
        double linear1 = one["linear (baseline)"].Best;
        Assert.InRange(one["naive (baseline)"].Best, 0.018, 0.022);
        Assert.True(one["model=deep-rnn"].Best < linear1, $"deep-rnn {one["model=deep-rnn"].Best} does not beat linear {linear1}");
        Assert.True(one["model=deep-rnn-dense"].Best < linear1, $"deep-rnn-dense {one["model=deep-rnn-dense"].Best} does not beat linear {linear1}");
        double linear10 = ten["linear (baseline)"].Best;
        Assert.InRange(ten["model=linear horizon=10"].Best, 0.0188 / 1.3, 0.0188 * 1.3);
        foreach (string model in new[] { "seq2vec-rnn", "seq2seq-rnn", "ln-rnn", "lstm", "gru", "conv-gru", "wavenet" })
            Assert.True(ten["model=" + model].Best < linear10, $"{model} {ten["model=" + model].Best} does not beat the ten-step linear model {linear10}");
    }

    private sealed record Row(string Trials, string Chapter, double Best);

    // "config  trials  chapter  median  best  best's test" rows of one horizon's table, by config
    private static Dictionary<string, Row> Rows(string table)
    {
        var rows = new Dictionary<string, Row>();
        foreach (Match m in Regex.Matches(table, @"^(\S.*?) {2,}(\d+/\d+|-) +(\S+) +(\S+) +(\d\.\d+) +(\d\.\d+)\r?$", RegexOptions.Multiline))
            rows.Add(m.Groups[1].Value, new Row(m.Groups[2].Value, m.Groups[3].Value, double.Parse(m.Groups[5].Value, CultureInfo.InvariantCulture)));
        return rows;
    }
}
