using System.Net;
using System.Net.Sockets;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using RnnCluster.Numerics;
using RnnCluster.Silo;

namespace RnnCluster.Client;

/// <summary>
/// The client's way into a cluster (<see cref="ClusterTarget"/>): through a gateway, through the membership table in
/// Azure Storage, or, when none is configured, an embedded silo in this process (<see cref="SiloHost"/> on free loopback
/// ports, in memory: its jobs end with the process). A cluster that cannot be reached is a
/// <see cref="ClusterUnavailableException"/> within seconds: a gateway is probed with a plain TCP connect first, and
/// the Orleans client gets <see cref="StartTimeout"/> to start.
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly IHost _host;

    private ClusterConnection(IHost host, ClusterTarget? target)
    {
        _host = host;
        Target = target;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public IClusterClient Client { get; }

    /// <summary>The cluster connected to; null for the embedded silo.</summary>
    public ClusterTarget? Target { get; }

    public bool Embedded => Target is null;

    /// <summary>Where the cluster is, for messages.</summary>
    public string Where => Target?.ToString() ?? "embedded silo";

    /// <summary>Connects through the gateway at host:port to the cluster with this id.</summary>
    public static Task<ClusterConnection> ConnectAsync(string gateway, string clusterId, CancellationToken cancellation) =>
        ConnectAsync(ClusterTarget.Configured(gateway, null, clusterId), cancellation);

    /// <summary>Connects to the target, or starts an embedded silo when it is null.</summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterTarget? target, CancellationToken cancellation)
    {
        if (target is null) return await StartEmbeddedAsync(cancellation);
        if (target.Gateway is not null && await GatewayProbe.FailureAsync(ParseGateway(target.Gateway), cancellation) is string refused)
            throw new ClusterUnavailableException(
                $"cannot reach the cluster's gateway at {target.Gateway} ({refused}); is a silo running there? (--gateway, {ClusterTarget.GatewayVariable})");

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.UseOrleansClient(client =>
        {
            if (target.Gateway is not null) client.UseStaticClustering(ParseGateway(target.Gateway));
            else client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(target.StorageConnectionString, QuickRetries()));
            client.Configure<ClusterOptions>(o => { o.ClusterId = target.ClusterId; o.ServiceId = new ClusterSettings().ServiceId; });
        });
        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellation).WaitAsync(StartTimeout, cancellation);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            await StopQuietlyAsync(host);
            throw new ClusterUnavailableException(StartFailure(target, e));
        }
        return new ClusterConnection(host, target);
    }

    private static async Task<ClusterConnection> StartEmbeddedAsync(CancellationToken cancellation)
    {
        int siloPort = FreePort();
        string[] args =
        [
            $"--Orleans:ClusterId=rnncluster-embedded-{Guid.NewGuid():N}",
            $"--Orleans:SiloPort={siloPort}",
            $"--Orleans:PrimarySiloPort={siloPort}",
            $"--Orleans:GatewayPort={FreePort()}",
            // never the environment's storage: the embedded silo is in memory whatever ConnectionStrings__AzureStorage says
            $"--ConnectionStrings:{ClusterSettings.ConnectionStringName}=",
            // never Kubernetes hosting either, whatever RnnCluster__Hosting says: the embedded silo is this process's
            $"--{ClusterSettings.HostingKey}={ClusterSettings.LocalHosting}",
            "--urls", "http://127.0.0.1:0",
        ];
        var app = SiloHost.Build(args, builder =>
        {
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        });
        try
        {
            await app.StartAsync(cancellation);
        }
        catch
        {
            await StopQuietlyAsync(app);
            throw;
        }
        return new ClusterConnection(app, null);
    }

    // what went wrong starting the client, as the rest of the one line after "error: "
    private static string StartFailure(ClusterTarget target, Exception e)
    {
        string reason = e is not TimeoutException ? ClusterFailures.Reason(e)
            : target.Gateway is not null ? $"no answer within {StartTimeout.TotalSeconds:0} s"
            : $"no active gateway answered within {StartTimeout.TotalSeconds:0} s";
        if (target.Gateway is not null)
            return $"cannot connect to the cluster at {target.Gateway} (cluster id '{target.ClusterId}'): {reason}; "
                + $"is a silo of cluster '{target.ClusterId}' running there? (--gateway, --cluster-id, {ClusterTarget.ClusterIdVariable})";
        if (Inner(e).Any(x => x is Azure.RequestFailedException))
            return $"cannot reach the storage of cluster '{target.ClusterId}' at {target.StorageEndpoint} ({reason}); does the storage answer there? (--storage, {ClusterTarget.StorageVariable})";
        if (e.Message.Contains("Could not find any gateway", StringComparison.OrdinalIgnoreCase)) reason = "no active gateway in its membership table";
        return $"cannot reach the cluster '{target.ClusterId}' through storage at {target.StorageEndpoint} ({reason}); is a silo of that cluster running? (--cluster-id, {ClusterTarget.ClusterIdVariable})";
    }

    private static IEnumerable<Exception> Inner(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }

    // the storage client's defaults retry for minutes; a command should say within seconds that storage is down
    private static TableClientOptions QuickRetries()
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return options;
    }

    /// <summary>"host:port" to an endpoint; a bad one throws <see cref="InvalidInputException"/>.</summary>
    public static IPEndPoint ParseGateway(string gateway)
    {
        gateway = gateway.Trim();
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
        catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
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

    private static async Task StopQuietlyAsync(IHost host)
    {
        try
        {
            await host.StopAsync(TimeSpan.FromSeconds(2));
        }
        catch (Exception)
        {
            // it did not start; nothing to report beyond why not
        }
        try
        {
            if (host is IAsyncDisposable d) await d.DisposeAsync();
            else host.Dispose();
        }
        catch (Exception)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.StopAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (ClusterFailures.IsClusterFailure(e) || e is OperationCanceledException)
        {
            // a cluster gone away cannot be left more politely; the command's own result stands
        }
        finally
        {
            if (_host is IAsyncDisposable d) await d.DisposeAsync();
            else _host.Dispose();
        }
    }
}
