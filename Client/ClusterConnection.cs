using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using RnnCluster.Grains;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// The client's way into a cluster: a gateway (<c>--gateway host:port</c> or the RNNCLUSTER_GATEWAY environment
/// variable) of a running cluster, or, when none is configured, an embedded silo started in this process on free
/// loopback ports (its jobs end with the process).
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    public const string GatewayVariable = "RNNCLUSTER_GATEWAY";
    public const string ClusterIdVariable = "RNNCLUSTER_CLUSTER_ID";

    private readonly IHost _host;

    private ClusterConnection(IHost host, bool embedded)
    {
        _host = host;
        Embedded = embedded;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }
    public bool Embedded { get; }

    /// <summary>The gateway to use: the option, else the environment variable, else null (embedded).</summary>
    public static string? ConfiguredGateway(string? option) =>
        !string.IsNullOrWhiteSpace(option) ? option : Environment.GetEnvironmentVariable(GatewayVariable) is { Length: > 0 } g ? g : null;

    public static string ConfiguredClusterId(string? option) =>
        option ?? Environment.GetEnvironmentVariable(ClusterIdVariable) ?? new SiloSettings().ClusterId;

    public static async Task<ClusterConnection> ConnectAsync(string? gateway, string clusterId, CancellationToken cancellation)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        if (gateway is null)
        {
            var settings = new SiloSettings(ClusterId: $"rnncluster-embedded-{Guid.NewGuid():N}", SiloPort: FreePort(), GatewayPort: FreePort());
            builder.UseOrleans(silo => settings.Apply(silo));
        }
        else
        {
            var endpoint = ParseGateway(gateway);
            builder.UseOrleansClient(client => client
                .UseStaticClustering(endpoint)
                .Configure<ClusterOptions>(o => { o.ClusterId = clusterId; o.ServiceId = new SiloSettings().ServiceId; }));
        }
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellation);
        }
        catch (Exception e) when (gateway is not null && e is not OperationCanceledException)
        {
            host.Dispose();
            throw new InvalidInputException("--gateway", $"cannot connect to the cluster at {gateway} (cluster id '{clusterId}'): {e.Message}");
        }
        return new ClusterConnection(host, gateway is null);
    }

    /// <summary>"host:port" to an endpoint; a bad one throws <see cref="InvalidInputException"/>.</summary>
    public static IPEndPoint ParseGateway(string gateway)
    {
        int colon = gateway.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(gateway[(colon + 1)..], out int port) || port < 1 || port > 65535)
            throw new InvalidInputException("--gateway", $"'{gateway}' is not host:port with a port in 1..65535");
        string host = gateway[..colon];
        if (IPAddress.TryParse(host, out var address)) return new IPEndPoint(address, port);
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.First();
            return new IPEndPoint(chosen, port);
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException)
        {
            throw new InvalidInputException("--gateway", $"cannot resolve host '{host}'");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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
