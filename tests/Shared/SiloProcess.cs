namespace RnnCluster.Tests.Shared;

/// <summary>
/// A real silo process (Silo/bin/Release/net10.0/RnnCluster.Silo.dll) on 127.0.0.1 with the given cluster id and
/// ports, joining the silo at <c>primarySiloPort</c> (itself when null), and a free HTTP port (set with --urls) that
/// serves /metrics and /health.
/// </summary>
internal sealed class SiloProcess : ChildProcess
{
    private SiloProcess(string clusterId, int siloPort, int gatewayPort, int? primarySiloPort, int httpPort) : base("dotnet",
        [Repository.ReleaseDll("Silo", "RnnCluster.Silo.dll"), $"--Orleans:ClusterId={clusterId}", $"--Orleans:SiloPort={siloPort}",
         $"--Orleans:GatewayPort={gatewayPort}", $"--Orleans:PrimarySiloPort={primarySiloPort ?? siloPort}", "--urls", $"http://127.0.0.1:{httpPort}"])
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

    /// <summary>Starts a silo (without waiting for it).</summary>
    public static SiloProcess Start(string clusterId, int siloPort, int gatewayPort, int? primarySiloPort = null) =>
        new(clusterId, siloPort, gatewayPort, primarySiloPort, FreePort());

    /// <summary>Starts a silo on free ports with its own cluster and waits until it is healthy.</summary>
    public static async Task<SiloProcess> StartHealthyAsync(string clusterId, TimeSpan timeout)
    {
        var silo = Start(clusterId, FreePort(), FreePort());
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
    public Task WaitHealthyAsync(TimeSpan timeout) => WaitForAsync($"the silo on port {SiloPort}", $"http://127.0.0.1:{HttpPort}/health", "ok", timeout);
}
