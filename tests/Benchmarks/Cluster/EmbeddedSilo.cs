using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using RnnCluster.Grains;

namespace RnnCluster.Benchmarks.Cluster;

/// <summary>A one-silo cluster inside this process on free loopback ports, as the client's embedded mode runs one.</summary>
internal sealed class EmbeddedSilo : IAsyncDisposable
{
    private readonly IHost _host;

    private EmbeddedSilo(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public static async Task<EmbeddedSilo> StartAsync(CancellationToken cancellation)
    {
        var ports = FreePorts.Take(2);
        string clusterId = $"rnncluster-bench-{Guid.NewGuid():N}";
        // No default logging providers: the silo's information logs would drown the table.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(new SiloSettings(clusterId, ClusterComparison.ServiceId, ports[0], ports[1]).Apply);
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellation);
        }
        catch
        {
            host.Dispose();
            throw;
        }
        return new EmbeddedSilo(host);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            _host.Dispose();
        }
    }
}
