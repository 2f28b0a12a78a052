using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Observability.Tests;

/// <summary>
/// A real Prometheus server scrapes a real silo process every second while a short training job and then a small
/// sweep run on it; the answers of Prometheus's HTTP API show the training (the loss falls, the throughput is
/// positive) and the sweep (its completed trials rise to the trial count, its best metric is the sweep's best, its
/// series end with it). Then every query of the Grafana dashboard is run against the same Prometheus
/// (<see cref="DashboardQueryTests"/>).
/// </summary>
[Trait("Category", "Processes")]
[Collection(ObservedTraining.Collection)]
public sealed class PrometheusTests(ObservedTraining run)
{
    [Fact]
    public async Task Prometheus_scrapes_a_falling_training_loss_and_a_positive_throughput_from_a_silo()
    {
        run.Require();
        Assert.True(run.FinalStatus!.State == JobState.Completed, $"job {run.JobId}: {run.FinalStatus.State} {run.FinalStatus.Error}\n{run.Logs}");
        Assert.True(run.SawJobSeries, "the silo's /metrics never showed the job's series while it ran");
        using var api = new PrometheusApi(run.Prometheus.Url);
        string job = $"job_id=\"{run.JobId}\"";

        // The latest training loss, one value per finished epoch: Prometheus holds its samples, the last below the first.
        var loss = Assert.Single(await api.QueryAsync($"rnncluster_training_loss{{{job}}}[10m]"));
        Assert.Equal(ObservedTraining.Model, loss.Labels["model"]);
        Assert.True(loss.Samples.Select(s => s.Value).Distinct().Count() >= 2,
            $"Prometheus saw only one epoch's loss: {string.Join(", ", loss.Samples.Select(s => s.Value))}");
        Assert.True(loss.Samples[^1].Value < loss.Samples[0].Value,
            $"the loss did not fall: first {loss.Samples[0].Value}, last {loss.Samples[^1].Value}");
        // Its last value is one of the job's epochs.
        Assert.Contains(run.FinalStatus.History, e => Math.Abs(e.TrainLoss - loss.Samples[^1].Value) <= 1e-12 * Math.Max(1, e.TrainLoss));

        var valid = Assert.Single(await api.QueryAsync($"rnncluster_validation_mse{{{job}}}[10m]"));
        Assert.All(valid.Samples, s => Assert.InRange(s.Value, 1e-6, 1.0));
        var epoch = Assert.Single(await api.QueryAsync($"max_over_time(rnncluster_epoch{{{job}}}[10m])"));
        Assert.InRange(epoch.Samples[0].Value, 2, ObservedTraining.Epochs);

        // Throughput: the per-job gauge, and the rate of the samples counter during the job.
        var perJob = Assert.Single(await api.QueryAsync($"max_over_time(rnncluster_training_samples_per_second{{{job}}}[10m])"));
        Assert.True(perJob.Samples[0].Value > 0, $"samples per second {perJob.Samples[0].Value}");
        var rate = Assert.Single(await api.QueryAsync(
            $"max_over_time(sum(rate(rnncluster_training_samples_total{{model=\"{ObservedTraining.Model}\"}}[5s]))[10m:1s])"));
        Assert.True(rate.Samples[0].Value > 0, $"rate of rnncluster_training_samples_total {rate.Samples[0].Value}");
        var samples = Assert.Single(await api.QueryAsync($"max(rnncluster_training_samples_total{{model=\"{ObservedTraining.Model}\"}})"));
        Assert.Equal(ObservedTraining.Epochs * 7000.0, samples.Samples[0].Value); // 7,000 training windows an epoch

        // The step time and reduction time histograms have counts and plausible percentiles.
        var steps = Assert.Single(await api.QueryAsync($"max(rnncluster_step_duration_seconds_count{{model=\"{ObservedTraining.Model}\"}})"));
        Assert.Equal(run.FinalStatus.Step, (long)steps.Samples[0].Value);
        var p50 = Assert.Single(await api.QueryAsync(
            $"histogram_quantile(0.5, sum by (le) (increase(rnncluster_step_duration_seconds_bucket{{model=\"{ObservedTraining.Model}\"}}[10m])))"));
        Assert.InRange(p50.Samples[0].Value, 1e-5, 5);
        var reduction = Assert.Single(await api.QueryAsync($"max(rnncluster_gradient_reduction_duration_seconds_count{{model=\"{ObservedTraining.Model}\"}})"));
        Assert.Equal(run.FinalStatus.Step, (long)reduction.Samples[0].Value);
        var norm = Assert.Single(await api.QueryAsync($"max_over_time(rnncluster_gradient_global_norm{{{job}}}[10m])"));
        Assert.True(norm.Samples[0].Value > 0 && double.IsFinite(norm.Samples[0].Value));

        // Jobs by state (before the sweep's trials, which are jobs too), Orleans' and the runtime's meters come through too.
        var completed = Assert.Single(await api.QueryAsync("rnncluster_jobs{state=\"completed\"}", run.SweepStarted));
        Assert.Equal(1, completed.Samples[0].Value);
        Assert.NotEmpty(await api.QueryAsync("orleans_catalog_activations{grain_type=\"trainingjob\"}"));
        Assert.NotEmpty(await api.QueryAsync("dotnet_process_memory_working_set_bytes"));

        // The silo's memory budget, and what the job's shard and evaluation held of it while it ran.
        var held = Assert.Single(await api.QueryAsync("max_over_time(rnncluster_memory_held_bytes[10m])", run.SweepStarted));
        var budget = Assert.Single(await api.QueryAsync("rnncluster_memory_budget_bytes"));
        Assert.InRange(held.Samples[0].Value, 1, budget.Samples[0].Value);

        // The per-job gauges stop when the job ends.
        Assert.DoesNotContain(job, run.MetricsAfterEnd);
        Assert.Empty(await api.QueryAsync($"rnncluster_training_loss{{{job}}}"));
    }

    [Fact]
    public async Task Prometheus_scrapes_a_sweeps_trials_by_state_and_best_metric_whose_series_end_after_the_sweep()
    {
        run.Require();
        var final = run.SweepFinalStatus!;
        Assert.True(final.State == SweepState.Completed, $"sweep {run.SweepId}: {final.State} {final.Error}\n{run.Logs}");
        Assert.Equal(ObservedTraining.SweepTrials, final.Trials.Length);
        Assert.All(final.Trials, t => Assert.Equal(TrialState.Completed, t.State));
        Assert.True(run.SawSweepSeries, "the silo's /metrics never showed the sweep's series while it ran");
        using var api = new PrometheusApi(run.Prometheus.Url);
        string sweep = $"sweep_id=\"{run.SweepId}\"";

        // Every state is reported, and at every scrape the states add up to the trial count.
        var states = await api.QueryAsync($"rnncluster_sweep_trials{{{sweep}}}[10m]");
        Assert.Equal(new[] { "cancelled", "completed", "failed", "pending", "running", "stopped" }, states.Select(s => s.Labels["state"]).Order());
        var total = Assert.Single(await api.QueryRangeAsync($"sum(rnncluster_sweep_trials{{{sweep}}})", run.SweepStarted, DateTimeOffset.UtcNow));
        Assert.NotEmpty(total.Samples);
        Assert.All(total.Samples, s => Assert.Equal(ObservedTraining.SweepTrials, s.Value));

        // Completed trials rise from fewer than all to all of them (how many steps between depends on when the scrapes
        // fell, 1 s apart, on a loaded machine); a trial was seen running.
        var completed = states.Single(s => s.Labels["state"] == "completed").Samples.Select(s => s.Value).ToList();
        Assert.True(completed.Zip(completed.Skip(1)).All(p => p.Second >= p.First), $"completed trials went down: {string.Join(", ", completed)}");
        Assert.True(completed[0] < ObservedTraining.SweepTrials, $"Prometheus never saw the sweep before its end: {string.Join(", ", completed)}");
        Assert.Equal(ObservedTraining.SweepTrials, completed[^1]);
        var running = states.Single(s => s.Labels["state"] == "running").Samples.Select(s => s.Value).ToList();
        Assert.Contains(1, running);
        Assert.All(running, r => Assert.InRange(r, 0, 1));   // max_concurrent 1
        Assert.All(states.Where(s => s.Labels["state"] is "stopped" or "failed" or "cancelled").SelectMany(s => s.Samples), s => Assert.Equal(0, s.Value));

        // The best metric so far only falls, and ends at the sweep's best trial's metric.
        var best = Assert.Single(await api.QueryAsync($"rnncluster_sweep_best_metric{{{sweep}}}[10m]"));
        Assert.Equal("valid_mse", best.Labels["metric"]);
        Assert.Equal(final.Metric, best.Labels["metric"]);
        var values = best.Samples.Select(s => s.Value).ToList();
        Assert.True(values.Zip(values.Skip(1)).All(p => p.Second <= p.First), $"the best metric rose: {string.Join(", ", values)}");
        double expected = final.Best!.Metric!.Value;
        Assert.True(Math.Abs(values[^1] - expected) <= 1e-12 * expected, $"best metric {values[^1]}, the sweep's best trial {expected} ({final.Best.Config})");
        Assert.All(values, v => Assert.Contains(final.Trials, t => Math.Abs(v - t.Metric!.Value) <= 1e-12 * t.Metric.Value));   // each a trial's

        // The trials are jobs of the silo too: the observed job, the sweep's trials and its linear baseline completed.
        var jobs = Assert.Single(await api.QueryAsync("rnncluster_jobs{state=\"completed\"}"));
        Assert.Equal(1 + ObservedTraining.SweepTrials + 1, jobs.Samples[0].Value);

        // After the sweep ends its series leave /metrics (after the final report time) and Prometheus marks them stale.
        Assert.DoesNotContain(sweep, run.MetricsAfterSweep);
        Assert.InRange(run.SweepSeriesLeftAfter, ObservedTraining.EndedSweepMetricsTime - TimeSpan.FromSeconds(1), ObservedTraining.EndedSweepMetricsTime + TimeSpan.FromSeconds(10));
        Assert.Empty(await api.QueryAsync($"rnncluster_sweep_trials{{{sweep}}}"));
        Assert.Empty(await api.QueryAsync($"rnncluster_sweep_best_metric{{{sweep}}}"));
    }
}
