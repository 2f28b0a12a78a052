using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client.Tests;

/// <summary>
/// What the sweep commands print, from made-up statuses: the ranked table with the baselines, the status line with
/// the best so far and the time left, the quiet progress of redirected output, and the sweeps list.
/// </summary>
public class SweepOutputTests
{
    [Fact]
    public void The_table_ranks_by_the_metric_with_unfinished_and_failed_last_then_the_baselines()
    {
        var lines = SweepTable.Format(SweepStatuses.Mixed()).Split(Environment.NewLine);

        Assert.Matches(@"^rank +trial +state +epochs +valid_mse +test MSE +weights hash +config$", lines[0]);
        Assert.Matches(@"^ +1 +2 +completed +3 +0\.007500 +0\.008000 +00112233445566aa +lr=0\.01 units=32$", lines[1]);
        Assert.Matches(@"^ +2 +0 +completed +3 +0\.012500 +0\.013100 +0123456789abcdef +lr=0\.001 units=16$", lines[2]);
        Assert.Matches(@"^ +3 +1 +stopped +1 +0\.500000 +- +fedcba9876543210 +lr=0\.1$", lines[3]);
        Assert.Matches(@"^ +- +3 +failed +2 +- +- +- +lr=0\.9$", lines[4]);
        Assert.Equal("trial 3 failed: --learning-rate: the loss diverged at epoch 2", lines[5]);
        Assert.Equal("", lines[6]);
        Assert.Matches(@"^baseline +valid MSE +test MSE$", lines[7]);
        Assert.Matches(@"^naive +0\.020500 +0\.021100$", lines[8]);
        Assert.Matches(@"^linear +0\.004100 +0\.004300$", lines[9]);
    }

    [Fact]
    public void The_status_line_counts_trials_by_state_and_names_the_best_so_far()
    {
        var s = SweepStatuses.Running(finished: 2, seconds: 30);
        Assert.Equal("sweep sweep-2: 4 trials, 1 at a time, metric valid_mse", SweepText.Header(s));
        // 30 s for 2 finished trials: 15 s each, 2 to go
        Assert.Equal("running 1, done 2, stopped early 0, failed 0, pending 1; best so far 0.010000 (trial 0: lr=0); elapsed 30s, ~30s left", SweepText.Line(s));
    }

    [Fact]
    public void A_running_trial_whose_job_waits_for_memory_is_counted_and_said_why_under_the_table()
    {
        var s = SweepStatuses.Running(finished: 1, seconds: 10);
        s = s with { Trials = [.. s.Trials.Select(t => t.State == TrialState.Running ? t with { Waiting = "memory: the budget is full" } : t)] };
        Assert.StartsWith("running 1 (1 waiting for memory), done 1, stopped early 0", SweepText.Line(s));
        Assert.Contains("trial 1 waiting for memory: the budget is full", SweepTable.Format(s).Split(Environment.NewLine));
        Assert.DoesNotContain("waiting", SweepText.Line(SweepStatuses.Running(finished: 1, seconds: 10)));
    }

    [Fact]
    public void Before_a_trial_finishes_there_is_no_best_and_no_estimate()
    {
        var s = SweepStatuses.Running(finished: 0, seconds: 7.9);
        Assert.Equal("running 1, done 0, stopped early 0, failed 0, pending 3; best so far -; elapsed 7s, - left", SweepText.Line(s));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119.9, "119s")]
    [InlineData(185, "3m05s")]
    [InlineData(7620, "2h07m")]
    public void Durations(double seconds, string text) => Assert.Equal(text, SweepText.Duration(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Redirected_progress_prints_the_status_line_when_it_changes_at_most_every_two_seconds_and_no_escapes()
    {
        var writer = new StringWriter();
        var progress = new SweepProgress(writer);
        var t0 = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        progress.Show(SweepStatuses.Running(0, 1), t0);                    // header and first line
        progress.Show(SweepStatuses.Running(0, 2), t0.AddSeconds(3));      // only the time changed: nothing
        progress.Show(SweepStatuses.Running(1, 3), t0.AddSeconds(3.5));    // a change, 3.5 s after the last line: printed
        progress.Show(SweepStatuses.Running(2, 4), t0.AddSeconds(4.5));    // a change within 2 s: not yet
        progress.Show(SweepStatuses.Running(2, 6), t0.AddSeconds(6));      // still changed, 2.5 s on: printed
        var done = SweepStatuses.Running(4, 9) with { State = SweepState.Completed };
        progress.Finish(done);

        var lines = writer.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.Equal("sweep sweep-2: 4 trials, 1 at a time, metric valid_mse", lines[0]);
        Assert.StartsWith("running 1, done 0, ", lines[1]);
        Assert.StartsWith("running 1, done 1, ", lines[2]);
        Assert.EndsWith("elapsed 3s, ~9s left", lines[2]);
        Assert.StartsWith("running 1, done 2, ", lines[3]);
        Assert.Equal("running 0, done 4, stopped early 0, failed 0, pending 0; best so far 0.010000 (trial 0: lr=0); elapsed 9s", lines[4]);
        Assert.DoesNotContain('\u001b', writer.ToString());
    }

    [Fact]
    public void Terminal_progress_redraws_its_block_in_place()
    {
        var writer = new StringWriter();
        var progress = new SweepProgress(writer, live: true);
        progress.Show(SweepStatuses.Running(1, 2), DateTime.UtcNow);
        progress.Show(SweepStatuses.Running(1, 3), DateTime.UtcNow);
        string text = writer.ToString();
        // header, status line, the running trial: three lines, then back up three to redraw them
        Assert.Contains("  trial   1  epoch   1  valid_mse   0.100000  lr=1", text);
        Assert.Contains("\u001b[3F\u001b[J", text);
        Assert.Equal(2, text.Split("sweep sweep-2: ").Length - 1);
    }

    [Fact]
    public void The_sweeps_list_has_a_line_a_sweep()
    {
        var now = new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var text = SweepsCommand.Table(
        [
            new SweepSummary("sweep-a", SweepState.Running, 8, 3, 0.0123, "lr=0.01", now.AddSeconds(-12)),
            new SweepSummary("sweep-b", SweepState.Cancelled, 2, 0, null, null, now.AddMinutes(-5)),
        ], now);
        var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^sweep +state +trials +best metric +updated +best config$", lines[0]);
        Assert.Matches(@"^sweep-a +running +3/8 +0\.012300 +12s ago +lr=0\.01$", lines[1]);
        Assert.Matches(@"^sweep-b +cancelled +0/2 +- +5m ago +-$", lines[2]);
    }

    [Fact]
    public void The_sweeps_list_as_json_has_each_summary_and_no_unreadable_part()
    {
        var now = new DateTime(2025, 1, 1, 12, 0, 0, DateTimeKind.Utc);
        var listed = new RegistryList<SweepSummary>(
        [
            new SweepSummary("sweep-a", SweepState.Running, 8, 3, 0.0123, "lr=0.01", now.AddSeconds(-12)),
            new SweepSummary("sweep-b", SweepState.Cancelled, 2, 0, null, null, now.AddMinutes(-5)),
        ], []);

        var root = JsonDocument.Parse(ListCommand.Json("sweeps", listed)).RootElement;

        var sweeps = root.GetProperty("sweeps").EnumerateArray().ToArray();
        Assert.Equal(["sweep_id", "state", "trials", "done", "best_metric", "best_config", "updated"], sweeps[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(("sweep-a", "running", 8, 3, 0.0123, "lr=0.01", "2025-01-01T11:59:48.000Z"),
            (sweeps[0].GetProperty("sweep_id").GetString(), sweeps[0].GetProperty("state").GetString(), sweeps[0].GetProperty("trials").GetInt32(),
             sweeps[0].GetProperty("done").GetInt32(), sweeps[0].GetProperty("best_metric").GetDouble(), sweeps[0].GetProperty("best_config").GetString(),
             sweeps[0].GetProperty("updated").GetString()));
        Assert.Equal(("cancelled", JsonValueKind.Null), (sweeps[1].GetProperty("state").GetString(), sweeps[1].GetProperty("best_metric").ValueKind));
        Assert.Equal(0, root.GetProperty("unreadable").GetArrayLength());
    }

    [Fact]
    public void A_cancelled_sweep_ends_with_exit_1_and_one_line_after_its_table()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = SweepReport.Report(SweepStatuses.Mixed(SweepState.Cancelled), output, error, asJson: false);
        Assert.Equal(1, code);
        Assert.Contains("naive", output.ToString());
        Assert.Equal("error: sweep sweep-1 cancelled; go on with `rnncluster sweep resume sweep-1`" + Environment.NewLine, error.ToString());
        Assert.Equal(0, SweepReport.Report(SweepStatuses.Mixed(), TextWriter.Null, error, asJson: true));
    }
}
