using System.Diagnostics;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace RnnCluster.Cluster.Tests;

/// <summary>
/// Silo processes of one cluster on Azure Storage (Azurite), and an Orleans client that finds their gateways through
/// the membership table, as a user's client with ConnectionStrings__AzureStorage does. Silos can be killed (SIGKILL)
/// and started; the client rides over it.
/// </summary>
internal sealed class DurableCluster : IAsyncDisposable
{
    private readonly List<SiloProcess> _silos = [];
    private IHost? _client;

    public DurableCluster(string storage, params string[] siloArguments)
    {
        Storage = storage;
        SiloArguments = siloArguments;
    }

    public string ClusterId { get; } = $"faults-{Guid.NewGuid():N}"[..24];

    /// <summary>
    /// The Orleans service of this cluster alone, its cluster id: the test classes run at once on one Azurite, and
    /// clusters of one service share the reminder table's rows, so each ticked the others' jobs' reminders and ran their
    /// jobs (a job of one test was found training in another test's cluster, and one test's job not recovering in time).
    /// Grain state blobs are named by grain alone, so the job and sweep lists are still shared by the clusters.
    /// </summary>
    public string ServiceId => ClusterId;
    public string Storage { get; }
    public string[] SiloArguments { get; }
    public IReadOnlyList<SiloProcess> Silos => _silos;
    public IClusterClient Client => _client?.Services.GetRequiredService<IClusterClient>() ?? throw new InvalidOperationException("no client");

    /// <summary>Starts a silo of the cluster (on a free port, or on <paramref name="siloPort"/>), without waiting for it.</summary>
    public SiloProcess StartSilo(int? siloPort = null)
    {
        var silo = SiloProcess.StartDurable(ClusterId, Storage, siloPort ?? ChildProcess.FreePort(), [$"--Orleans:ServiceId={ServiceId}", .. SiloArguments]);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>Starts <paramref name="count"/> silos, waits until all are healthy active members, and connects the client.</summary>
    public async Task StartAsync(int count)
    {
        var started = Enumerable.Range(0, count).Select(_ => StartSilo()).ToArray();
        foreach (var silo in started) await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await ConnectAsync();
        await WaitForActiveAsync(Alive.Count(), TimeSpan.FromSeconds(60));
    }

    public IEnumerable<SiloProcess> Alive => _silos.Where(s => !s.HasExited);

    public async Task ConnectAsync()
    {
        if (_client is not null) return;
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(client => client
            .UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(Storage))
            .Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ServiceId; })
            .Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2)));
        _client = builder.Build();
        await _client.StartAsync();
    }

    /// <summary>Drops the client (its gateways are gone when every silo was killed); <see cref="ConnectAsync"/> makes a new one.</summary>
    public async Task DisconnectAsync()
    {
        if (_client is null) return;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _client.StopAsync(timeout.Token);
        }
        catch (Exception)
        {
        }
        _client.Dispose();
        _client = null;
    }

    public async Task WaitForActiveAsync(int count, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var hosts = await Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
                if (hosts.Count == count) return;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException)
            {
            }
            if (clock.Elapsed > timeout) throw new TimeoutException($"{count} active silos not seen within {timeout}:\n{Logs()}");
            await Task.Delay(250);
        }
    }

    /// <summary>The job's status, retried while the cluster recovers (a silo just died); null when it did not answer in time.</summary>
    /// <summary>Starts the job under a new id (<paramref name="prefix"/> and a random tail) and asserts that it runs; its first status.</summary>
    public async Task<JobStatus> StartJobAsync(string prefix, JobSpec spec)
    {
        var started = await Client.GetGrain<ITrainingJobGrain>(ChapterJobs.NewId(prefix)).Start(spec);
        Assert.True(started.State == JobState.Running, Describe(started));
        return started;
    }

    public async Task<JobStatus?> StatusAsync(string jobId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                return await Client.GetGrain<ITrainingJobGrain>(jobId).GetStatus().WaitAsync(TimeSpan.FromSeconds(2));
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException)
            {
                await Task.Delay(200);
            }
        }
        return null;
    }

    /// <summary>Polls until <paramref name="done"/> holds (riding over failures); fails the test after the timeout.</summary>
    public async Task<JobStatus> WaitAsync(string jobId, Func<JobStatus, bool> done, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        JobStatus? last = null;
        while (clock.Elapsed < timeout)
        {
            last = await StatusAsync(jobId, timeout - clock.Elapsed) ?? last;
            if (last is not null && done(last)) return last;
            if (last is { IsFinished: true }) break;
            await Task.Delay(100);
        }
        throw new Xunit.Sdk.XunitException($"{what}: not seen within {timeout.TotalSeconds:0} s; last status: {Describe(last)}\n{Logs()}");
    }

    public static string Describe(JobStatus? s) => s is null ? "none" :
        $"{s.JobId}: {s.State}, epoch {s.Epoch}/{s.Epochs}, step {s.Step}, checkpoint {s.CheckpointStep}, recoveries {s.Recoveries}, coordinator {s.CoordinatorSilo}, shards {string.Join(" ", s.ShardSilos)}, error {s.Error}";

    /// <summary>The lines the silos logged about recoveries (lost steps, shards prepared again, coordinators going on).</summary>
    public IEnumerable<string> RecoveryLog() => _silos.SelectMany(s => s.Log.Split('\n'))
        .Where(l => l.Contains("recover", StringComparison.OrdinalIgnoreCase) || l.Contains("prepared again") || l.Contains("going on from"))
        .Select(l => l.Trim());

    public string Logs() => string.Join("\n", _silos.Select((s, i) => $"--- silo {i} (port {s.SiloPort}, {(s.HasExited ? "exited" : "alive")}) ---\n{Tail(s.Log, 3000)}"));

    /// <summary>Every silo's log lines that mention <paramref name="text"/>, each with the line before it (the logger's category and level).</summary>
    public string LogsAbout(string text) => string.Join("\n", _silos.Select((s, i) =>
    {
        var lines = s.WholeLog.Split('\n');
        var about = lines.Select((l, k) => (l, k)).Where(x => x.l.Contains(text, StringComparison.Ordinal))
            .SelectMany(x => x.k > 0 ? new[] { lines[x.k - 1].Trim(), x.l.Trim() } : [x.l.Trim()]);
        return $"--- silo {i} (port {s.SiloPort}, {(s.HasExited ? "exited" : "alive")}), lines about {text} ---\n{string.Join("\n", about)}";
    }));

    private static string Tail(string text, int chars) => text.Length <= chars ? text : text[^chars..];

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        foreach (var silo in _silos) silo.Dispose();
    }
}
