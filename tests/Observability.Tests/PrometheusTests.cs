using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Observability.Tests;

/// <summary>
/// A real Prometheus server scrapes a real silo process every second while a short training job runs on it; the
/// answers of Prometheus's HTTP API show the training: the loss falls, the throughput is positive. Then every query
/// of the Grafana dashboard is run against the same Prometheus (<see cref="DashboardQueryTests"/>).
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

        // Jobs by state, Orleans' and the runtime's meters come through too.
        var completed = Assert.Single(await api.QueryAsync("rnncluster_jobs{state=\"completed\"}"));
        Assert.Equal(1, completed.Samples[0].Value);
        Assert.NotEmpty(await api.QueryAsync("orleans_catalog_activations{grain_type=\"trainingjob\"}"));
        Assert.NotEmpty(await api.QueryAsync("dotnet_process_memory_working_set_bytes"));

        // The per-job gauges stop when the job ends.
        Assert.DoesNotContain(job, run.MetricsAfterEnd);
        Assert.Empty(await api.QueryAsync($"rnncluster_training_loss{{{job}}}"));
    }
}
