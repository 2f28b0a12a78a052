using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client.Tests;

/// <summary>
/// The by-configuration tables: one per horizon, each configuration's finished trials out of all, the median (the mean
/// of the middle two for an even count) and best metric, the best trial's test MSE, the chapter's figure only for a
/// catalogue model at its defaults on the chapter's series ranked by validation MSE, and each horizon's baselines.
/// </summary>
public class SweepConfigTableTests
{
    private static TrialResult Trial(int index, string config, Dictionary<string, string> values, string model, int horizon, double? metric, double? test = null) =>
        new(index, config, values, (uint)index, $"s-t{index}", metric is null ? TrialState.Failed : TrialState.Completed, [], metric, test, Model: model, Horizon: horizon);

    private static SweepStatus Status(bool chapterData = true, string metric = "valid_mse") => new("s", SweepState.Completed,
    [
        Trial(0, "model=deep-rnn", new() { ["model"] = "deep-rnn" }, "deep-rnn", 1, 0.004, 0.0041),
        Trial(1, "model=deep-rnn", new() { ["model"] = "deep-rnn" }, "deep-rnn", 1, 0.002, 0.0023),
        Trial(2, "model=deep-rnn", new() { ["model"] = "deep-rnn" }, "deep-rnn", 1, 0.003, 0.0031),
        Trial(3, "model=deep-rnn", new() { ["model"] = "deep-rnn" }, "deep-rnn", 1, 0.005, 0.0052),
        Trial(4, "model=lstm units=8", new() { ["model"] = "lstm", ["units"] = "8" }, "lstm", 10, 0.009, 0.0095),
        Trial(5, "model=lstm units=8", new() { ["model"] = "lstm", ["units"] = "8" }, "lstm", 10, null),
        Trial(6, "model=seq2vec-rnn", new() { ["model"] = "seq2vec-rnn" }, "seq2vec-rnn", 10, 0.008, 0.0081),
    ], 2, metric, 0.02, 0.004, 10, null, 0.021, 0.0043,
    [new BaselineResult("s-linear-0", "window 50, horizon 1", 1, 0.02, 0.021, 0.004, 0.0043), new BaselineResult("s-linear-1", "window 50, horizon 10", 10, 0.25, 0.26, 0.019, 0.02)],
    chapterData);

    [Fact]
    public void Each_horizon_gets_a_table_with_medians_bests_and_the_chapters_figures()
    {
        string text = SweepConfigTable.Format(Status());
        string[] lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        int one = Array.IndexOf(lines, "1 step ahead"), ten = Array.IndexOf(lines, "10 steps ahead");
        Assert.True(one > 0 && ten > one, text);
        Assert.Matches(@"^model=deep-rnn +4/4 +0\.003 +0\.003500 +0\.002000 +0\.002300$", lines[one + 2]);
        Assert.Matches(@"^naive \(baseline\) +- +0\.020 +- +0\.020000 +0\.021000$", lines[one + 3]);
        Assert.Matches(@"^linear \(baseline\) +- +0\.004 +- +0\.004000 +0\.004300$", lines[one + 4]);
        Assert.Matches(@"^model=lstm units=8 +1/2 +- +0\.009000 +0\.009000 +0\.009500$", lines[ten + 2]);
        Assert.Matches(@"^model=seq2vec-rnn +1/1 +0\.008 +0\.008000 +0\.008000 +0\.008100$", lines[ten + 3]);
        Assert.Matches(@"^naive \(baseline\) +- +0\.223 +- +0\.250000 +0\.260000$", lines[ten + 4]);
        Assert.Contains("sequence-to-sequence models: the MSE at the last time step", text);
    }

    [Fact]
    public void No_chapter_figure_off_the_chapters_series_or_for_another_metric()
    {
        foreach (var status in new[] { Status(chapterData: false), Status(metric: "train_loss") })
        {
            string text = SweepConfigTable.Format(status);
            Assert.DoesNotContain("0.003 ", text);
            Assert.DoesNotContain("0.223", text);
            Assert.Matches(@"(?m)^model=deep-rnn +4/4 +- +", text);
        }
    }

    [Fact]
    public void It_applies_to_several_seeds_or_several_horizons_only()
    {
        Assert.True(SweepConfigTable.Applies(Status()));
        Assert.False(SweepConfigTable.Applies(SweepStatuses.Mixed()));
        Assert.Equal(2.5, SweepConfigTable.Median([4, 1, 2, 3]));
        Assert.Equal(2, SweepConfigTable.Median([3, 1, 2]));
        Assert.Null(SweepConfigTable.Median([]));
    }
}
