using RnnCluster.Client;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Observability.Tests;

/// <summary>
/// Shared by the tests of a class: a real silo process and a real Prometheus server scraping its /metrics every
/// second (both on 127.0.0.1), one short training job (deep-rnn, 60 epochs, 2 shards) submitted through the silo's
/// gateway and followed to its end, then a small sweep (a grid of <see cref="SweepTrials"/> linear trials, one at a
/// time) followed to its end and until its series leave /metrics, while the silo's /metrics is read every 200 ms.
/// A failure is kept and thrown by <see cref="Require"/> in every test (none is skipped).
/// </summary>
public sealed class ObservedTraining : IAsyncLifetime
{
    public const string Collection = "a silo and Prometheus observing a training";
    public const string Model = "deep-rnn";
    // enough epochs to span several 1 s scrapes: 10 took under a second once the kernels got faster
    public const int Epochs = 60;

    /// <summary>The sweep's trials: four learning rates of the linear model, one at a time, each long enough (120 epochs of
    /// small batches, about a second here) that Prometheus sees the count of completed trials rise over several scrapes;
    /// with 8 epochs the whole sweep took 0.6 s once the trials' jobs told the sweep of their ends (it used to poll them
    /// every 200 ms).</summary>
    public const int SweepTrials = 4;
    public const string SweepSpec = """
        {"model": "linear", "search": "grid", "max_concurrent": 1,
         "space": {"learning_rate": {"values": [0.0003, 0.001, 0.003, 0.01]}, "batch_size": 16, "epochs": 120}}
        """;

    /// <summary>How long the silo keeps reporting the sweep after its end (RnnCluster:Jobs:EndedSweepMetricsTime).</summary>
    public static readonly TimeSpan EndedSweepMetricsTime = TimeSpan.FromSeconds(3);

    private Exception? _failure;
    private SiloProcess? _silo;
    private PrometheusServer? _prometheus;

    internal PrometheusServer Prometheus => _prometheus!;
    public string JobId { get; } = "observed-" + Guid.NewGuid().ToString("N")[..8];
    public JobStatus? FinalStatus { get; private set; }
    public DateTimeOffset JobStarted { get; private set; }

    public string SweepId { get; } = "observed-sweep-" + Guid.NewGuid().ToString("N")[..8];
    public SweepStatus? SweepFinalStatus { get; private set; }
    public DateTimeOffset SweepStarted { get; private set; }

    /// <summary>Whether /metrics showed series labelled with the sweep's id while it ran.</summary>
    public bool SawSweepSeries { get; private set; }

    /// <summary>The silo's /metrics once the sweep's series left it after its end (or 20 s after the time they should have), and when that was.</summary>
    public string MetricsAfterSweep { get; private set; } = "";
    public TimeSpan SweepSeriesLeftAfter { get; private set; }

    /// <summary>Every metric name the silo's /metrics showed before, during and after the job.</summary>
    public HashSet<string> ExportedNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether /metrics showed series labelled with the job's id while it ran.</summary>
    public bool SawJobSeries { get; private set; }

    /// <summary>The silo's /metrics a few seconds after the job ended.</summary>
    public string MetricsAfterEnd { get; private set; } = "";

    public async Task InitializeAsync()
    {
        try
        {
            await RunAsync();
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    /// <summary>Throws what went wrong while starting the processes or training, with their logs.</summary>
    public void Require()
    {
        if (_failure is null) return;
        throw new InvalidOperationException($"setting up the silo, Prometheus and the training failed: {_failure.Message}\n--- silo ---\n{_silo?.Log}\n--- prometheus ---\n{_prometheus?.Log}", _failure);
    }

    /// <summary>The logs of both processes, for assertion messages.</summary>
    public string Logs => $"--- silo ---\n{_silo?.Log}\n--- prometheus ---\n{_prometheus?.Log}";

    private async Task RunAsync()
    {
        PrometheusServer.Executable();   // first: without Prometheus there is nothing to observe
        _silo = await SiloProcess.StartHealthyAsync($"rnncluster-observability-{Guid.NewGuid():N}", TimeSpan.FromSeconds(90),
            $"--RnnCluster:Jobs:EndedSweepMetricsTime={EndedSweepMetricsTime:c}");
        _prometheus = await PrometheusServer.StartAsync(_silo.HttpPort);
        using var api = new PrometheusApi(_prometheus.Url);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // Prometheus scrapes the silo before the job starts, so it sees the first epochs.
        await api.WaitForAsync($"up{{job=\"{PrometheusServer.ScrapeJob}\"}} == 1", TimeSpan.FromSeconds(30));
        Scrape(await http.GetStringAsync(_silo.MetricsUrl));

        var entry = ModelCatalogue.Find(Model);
        var spec = new JobSpec(Model, entry.Spec!.ToJson(), new DataSpec(42), new TrainingSettings(Epochs: Epochs), ShardCount: 2);
        await using var connection = await ClusterConnection.ConnectAsync($"127.0.0.1:{_silo.GatewayPort}", _silo.ClusterId, CancellationToken.None);
        var job = connection.Client.GetGrain<ITrainingJobGrain>(JobId);
        JobStarted = DateTimeOffset.UtcNow;
        var status = await job.Start(spec);
        if (status.State != JobState.Running) throw new InvalidOperationException($"the job did not start: {status.State} {status.Error}");
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (!status.IsFinished)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the job did not finish in 5 minutes (epoch {status.Epoch}, step {status.Step})");
            string metrics = await http.GetStringAsync(_silo.MetricsUrl);
            Scrape(metrics);
            if (metrics.Contains($"job_id=\"{JobId}\"", StringComparison.Ordinal)) SawJobSeries = true;
            await Task.Delay(200);
            status = await job.GetStatus();
        }
        FinalStatus = status;
        // Two scrapes after the end, so that Prometheus holds the last counts.
        await Task.Delay(3000);
        MetricsAfterEnd = await http.GetStringAsync(_silo.MetricsUrl);
        Scrape(MetricsAfterEnd);

        await RunSweepAsync(connection.Client, http);
    }

    // the sweep after the job, on the same silo: followed to its end, then until its series leave /metrics
    private async Task RunSweepAsync(IClusterClient client, HttpClient http)
    {
        var sweep = client.GetGrain<ISweepGrain>(SweepId);
        string label = $"sweep_id=\"{SweepId}\"";
        SweepStarted = DateTimeOffset.UtcNow;
        var status = await sweep.Start(new SweepRequest(SweepSpec, new DataSpec(42)));
        if (status.State != SweepState.Running) throw new InvalidOperationException($"the sweep did not start: {status.State} {status.Error}");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (!status.IsFinished)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"the sweep did not finish in 3 minutes ({status.Trials.Count(t => t.IsFinished)} of {status.Trials.Length} trials)");
            string metrics = await http.GetStringAsync(_silo!.MetricsUrl);
            Scrape(metrics);
            if (metrics.Contains(label, StringComparison.Ordinal)) SawSweepSeries = true;
            await Task.Delay(200);
            status = await sweep.GetStatus();
        }
        SweepFinalStatus = status;
        var ended = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            MetricsAfterSweep = await http.GetStringAsync(_silo!.MetricsUrl);
            Scrape(MetricsAfterSweep);
            // still there after this long: the test says so
            if (!MetricsAfterSweep.Contains(label, StringComparison.Ordinal) || ended.Elapsed > EndedSweepMetricsTime + TimeSpan.FromSeconds(20)) break;
            await Task.Delay(200);
        }
        SweepSeriesLeftAfter = ended.Elapsed;
        // Two scrapes after the series left, so that Prometheus marks them stale.
        await Task.Delay(2500);
    }

    private void Scrape(string metrics)
    {
        foreach (var name in MetricText.Names(metrics)) ExportedNames.Add(name);
    }

    public Task DisposeAsync()
    {
        _prometheus?.Dispose();
        _silo?.Dispose();
        return Task.CompletedTask;
    }
}

internal static class MetricText
{
    /// <summary>The metric names of the samples of a Prometheus text exposition (names before '{' or ' ').</summary>
    public static IEnumerable<string> Names(string exposition) =>
        exposition.Split('\n')
            .Where(line => line.Length > 0 && line[0] != '#')
            .Select(line => line.IndexOfAny(['{', ' ']) is var end and > 0 ? line[..end] : line.Trim());
}

/// <summary>The test classes that share one <see cref="ObservedTraining"/> (one silo, one Prometheus, one job).</summary>
[CollectionDefinition(ObservedTraining.Collection)]
public sealed class ObservedTrainingCollection : ICollectionFixture<ObservedTraining>;
