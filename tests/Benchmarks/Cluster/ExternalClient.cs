using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;

namespace RnnCluster.Benchmarks.Cluster;

/// <summary>An Orleans client of silo processes, connected through their gateways with static clustering.</summary>
internal sealed class ExternalClient : IAsyncDisposable
{
    private readonly IHost _host;

    private ExternalClient(IHost host)
    {
        _host = host;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    public static async Task<ExternalClient> ConnectAsync(string clusterId, IEnumerable<int> gatewayPorts, CancellationToken cancellation)
    {
        var gateways = gatewayPorts.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray();
        for (int attempt = 1; ; attempt++)
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.UseOrleansClient(client => client
                .UseStaticClustering(gateways)
                .Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = ClusterComparison.ServiceId; }));
            var host = builder.Build();
            try
            {
                await host.StartAsync(cancellation);
                return new ExternalClient(host);
            }
            catch (Exception) when (attempt < 5 && !cancellation.IsCancellationRequested)
            {
                host.Dispose();
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            }
            catch
            {
                host.Dispose();
                throw;
            }
        }
    }

    /// <summary>Waits until the cluster's membership shows <paramref name="count"/> active silos.</summary>
    public async Task WaitForSilosAsync(int count, TimeSpan timeout, CancellationToken cancellation)
    {
        var management = Client.GetGrain<IManagementGrain>(0);
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var hosts = await management.GetHosts(onlyActive: true, cancellation);
            if (hosts.Count >= count) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"the cluster shows {hosts.Count} active silo(s) after {timeout.TotalSeconds:0} s; expected {count}");
            await Task.Delay(250, cancellation);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception) { /* the silos may already be gone */ }
        finally
        {
            _host.Dispose();
        }
    }
}
