using System.Diagnostics.Metrics;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Metrics;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// The sweep gauges read through a <see cref="MeterListener"/>, as an exporter reads them: trials by state (every
/// state, zeros included) and the best metric of the status given last, labelled by sweep id; nothing before the
/// first status; the final values for a while after the end, then nothing; a sweep registered again on the silo
/// replaces its earlier report, which can no longer remove it. The meter is static, so only this test's ids count.
/// </summary>
public class SweepMetricsTests
{
    private static TrialResult Trial(int index, TrialState state, double? metric = null) =>
        new(index, $"learning_rate {index}", new Dictionary<string, string>(), (uint)index, $"t{index}", state, [], metric);

    private static SweepStatus Status(string id, string metric, params TrialResult[] trials) =>
        new(id, SweepState.Running, trials, 1, metric, null, null, 0, null);

    /// <summary>One collection: the trial counts by state and the best metrics (with their metric label) of <paramref name="sweepId"/>.</summary>
    private static (Dictionary<string, long> Trials, Dictionary<string, double> Best) Collect(string sweepId)
    {
        var trials = new Dictionary<string, long>();
        var best = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RnnClusterMetrics.MeterName && instrument.Name is "rnncluster.sweep.trials" or "rnncluster.sweep.best_metric")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => (string)p.Value!);
            if (t["sweep_id"] == sweepId) trials.Add(t["state"], value);
        });
        listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(p => p.Key, p => (string)p.Value!);
            if (t["sweep_id"] == sweepId) best.Add(t["metric"], value);
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return (trials, best);
    }

    private static string NewId() => "metrics-" + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public void A_sweep_reports_its_trials_by_state_and_its_best_metric_from_its_last_status()
    {
        string id = NewId();
        using var metrics = RnnClusterMetrics.StartSweep(id);
        Assert.Equal((0, 0), (Collect(id).Trials.Count, Collect(id).Best.Count));   // no status yet

        metrics.Update(Status(id, "valid_mse", Trial(0, TrialState.Pending), Trial(1, TrialState.Pending)));
        var (trials, best) = Collect(id);
        Assert.Equal(new Dictionary<string, long> { ["pending"] = 2, ["running"] = 0, ["completed"] = 0, ["stopped"] = 0, ["failed"] = 0, ["cancelled"] = 0 }, trials);
        Assert.Empty(best);   // no trial has a metric yet

        metrics.Update(Status(id, "train_loss", Trial(0, TrialState.Completed, 0.5), Trial(1, TrialState.Stopped, 0.25), Trial(2, TrialState.Running),
            Trial(3, TrialState.Failed), Trial(4, TrialState.Cancelled), Trial(5, TrialState.Completed, double.NaN), Trial(6, TrialState.Pending)));
        (trials, best) = Collect(id);
        Assert.Equal(new Dictionary<string, long> { ["pending"] = 1, ["running"] = 1, ["completed"] = 2, ["stopped"] = 1, ["failed"] = 1, ["cancelled"] = 1 }, trials);
        Assert.Equal(new Dictionary<string, double> { ["train_loss"] = 0.25 }, best);   // a stopped trial's metric counts, NaN does not

        metrics.Dispose();
        Assert.Equal((0, 0), (Collect(id).Trials.Count, Collect(id).Best.Count));
    }

    [Fact]
    public async Task An_ended_sweep_reports_its_final_values_for_the_time_after_its_end_then_nothing()
    {
        string id = NewId();
        using var metrics = RnnClusterMetrics.StartSweep(id);
        metrics.Update(Status(id, "valid_mse", Trial(0, TrialState.Completed, 0.5), Trial(1, TrialState.Running)));
        metrics.Ended(Status(id, "valid_mse", Trial(0, TrialState.Completed, 0.5), Trial(1, TrialState.Completed, 0.125)), TimeSpan.FromMilliseconds(500));

        var (trials, best) = Collect(id);
        Assert.Equal(2, trials["completed"]);
        Assert.Equal(0, trials["running"]);
        Assert.Equal(0.125, best["valid_mse"]);

        await Task.Delay(700);
        Assert.Equal((0, 0), (Collect(id).Trials.Count, Collect(id).Best.Count));
    }

    [Fact]
    public void A_sweep_started_again_on_the_silo_replaces_its_earlier_report_which_no_longer_removes_it()
    {
        string id = NewId();
        var first = RnnClusterMetrics.StartSweep(id);
        first.Update(Status(id, "valid_mse", Trial(0, TrialState.Running), Trial(1, TrialState.Pending)));
        using var second = RnnClusterMetrics.StartSweep(id);
        second.Update(Status(id, "valid_mse", Trial(0, TrialState.Completed, 0.5), Trial(1, TrialState.Running)));

        var trials = Collect(id).Trials;   // one report, the second's
        Assert.Equal((1, 1, 0), (trials["completed"], trials["running"], trials["pending"]));
        first.Dispose();
        Assert.Equal(1, Collect(id).Trials["completed"]);
        second.Dispose();
        Assert.Empty(Collect(id).Trials);
    }
}
