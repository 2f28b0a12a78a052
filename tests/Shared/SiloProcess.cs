namespace RnnCluster.Tests.Shared;

/// <summary>
/// A real silo process (Silo/bin/Release/net10.0/RnnCluster.Silo.dll) on 127.0.0.1 with a free HTTP port (set with
/// --urls) that serves /metrics and /health. Either localhost clustering (joining the silo at <c>primarySiloPort</c>,
/// itself when null) or, with a storage connection string, Azure Table membership, Blob job storage and Table reminders,
/// with the fast failure detection of <see cref="FastRecovery"/>.
/// </summary>
internal sealed class SiloProcess : ChildProcess
{
    /// <summary>
    /// Failure detection and recovery for tests: a silo that stops answering probes (2 s each, 3 missed) is voted dead by
    /// two others within about 6 to 10 s; members re-read the table every 2 s; a running job's reminder fires every 5 s;
    /// checkpoints at every epoch's end and every 2 s.
    /// </summary>
    public static readonly string[] FastRecovery =
    [
        "--RnnCluster:Membership:ProbeTimeout=00:00:02", "--RnnCluster:Membership:NumMissedProbesLimit=3",
        "--RnnCluster:Membership:NumVotesForDeathDeclaration=2", "--RnnCluster:Membership:TableRefreshTimeout=00:00:02",
        "--RnnCluster:Membership:IAmAliveTablePublishTimeout=00:00:05", "--RnnCluster:Membership:DeathVoteExpirationTimeout=00:00:30",
        "--RnnCluster:Reminders:MinimumReminderPeriod=00:00:05", "--RnnCluster:Jobs:RecoveryReminderPeriod=00:00:05",
        "--RnnCluster:Jobs:CheckpointInterval=00:00:02",
    ];

    private SiloProcess(string clusterId, int siloPort, int gatewayPort, int? primarySiloPort, int httpPort, string? storage, string[] extra) : base("dotnet",
        [Repository.ReleaseDll("Silo", "RnnCluster.Silo.dll"), $"--Orleans:ClusterId={clusterId}", $"--Orleans:SiloPort={siloPort}",
         $"--Orleans:GatewayPort={gatewayPort}", .. storage is null ? [$"--Orleans:PrimarySiloPort={primarySiloPort ?? siloPort}"] : new[] { $"--ConnectionStrings:AzureStorage={storage}" },
         "--urls", $"http://127.0.0.1:{httpPort}", .. extra])
    {
        ClusterId = clusterId;
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
    }

    public string ClusterId { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int HttpPort { get; }
    public string MetricsUrl => $"http://127.0.0.1:{HttpPort}/metrics";
    public string HealthUrl => $"http://127.0.0.1:{HttpPort}/health";

    /// <summary>Starts a silo (without waiting for it).</summary>
    public static SiloProcess Start(string clusterId, int siloPort, int gatewayPort, int? primarySiloPort = null) =>
        new(clusterId, siloPort, gatewayPort, primarySiloPort, FreePort(), null, []);

    /// <summary>Starts a silo of a durable cluster (Azure Storage at <paramref name="storage"/>) on free ports, without waiting.</summary>
    public static SiloProcess StartDurable(string clusterId, string storage, params string[] extra) =>
        StartDurable(clusterId, storage, FreePort(), extra);

    /// <summary>The same, the silo on <paramref name="siloPort"/> (its address, and so its place among the silos sorted by address).</summary>
    public static SiloProcess StartDurable(string clusterId, string storage, int siloPort, params string[] extra) =>
        new(clusterId, siloPort, FreePort(), null, FreePort(), storage, [.. FastRecovery, .. extra]);

    /// <summary>Starts a silo on free ports with its own cluster and <paramref name="extra"/> arguments, without waiting.</summary>
    public static SiloProcess StartLocal(string clusterId, params string[] extra) => new(clusterId, FreePort(), FreePort(), null, FreePort(), null, extra);

    /// <summary>Starts a silo on free ports with its own cluster (and <paramref name="extra"/> arguments) and waits until it is healthy.</summary>
    public static async Task<SiloProcess> StartHealthyAsync(string clusterId, TimeSpan timeout, params string[] extra)
    {
        var silo = new SiloProcess(clusterId, FreePort(), FreePort(), null, FreePort(), null, extra);
        try
        {
            await silo.WaitHealthyAsync(timeout);
            return silo;
        }
        catch
        {
            silo.Dispose();
            throw;
        }
    }

    /// <summary>Waits until the silo's /health answers "ok".</summary>
    public Task WaitHealthyAsync(TimeSpan timeout) => WaitForAsync($"the silo on port {SiloPort}", HealthUrl, "ok", timeout);

    /// <summary>Whether an Orleans silo address ("S127.0.0.1:PORT:GENERATION") is this process's.</summary>
    public bool Holds(string? siloAddress) => siloAddress is not null && siloAddress.Contains($":{SiloPort}:", StringComparison.Ordinal);
}
