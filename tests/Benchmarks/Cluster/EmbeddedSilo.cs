using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RnnCluster.Silo;

namespace RnnCluster.Benchmarks.Cluster;

/// <summary>A one-silo cluster inside this process on free loopback ports, as the client's embedded mode runs one (SiloHost).</summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmbeddedSilo(WebApplication app)
    {
        _app = app;
        Client = app.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <param name="extra">More configuration, as --Key=value arguments (e.g. RnnCluster:Jobs settings, a storage connection string).</param>
    public static async Task<EmbeddedSilo> StartAsync(CancellationToken cancellation, params string[] extra)
    {
        var ports = FreePorts.Take(2);
        string clusterId = $"rnncluster-bench-{Guid.NewGuid():N}";
        string[] args = [$"--Orleans:ClusterId={clusterId}", $"--Orleans:ServiceId={ClusterComparison.ServiceId}", $"--Orleans:SiloPort={ports[0]}",
            $"--Orleans:GatewayPort={ports[1]}", "--urls", "http://127.0.0.1:0", .. extra];
        // No logging providers: the silo's information logs would drown the table.
        var app = SiloHost.Build(args, b => b.Logging.ClearProviders());
        try
        {
            await app.StartAsync(cancellation);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new EmbeddedSilo(app);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _app.StopAsync(timeout.Token);
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }
}
