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
/// <see cref="ClusterUnavailableException"/> within seconds: a gateway is probed with a plain TCP connect first (through
/// storage, those of the active silos in the membership table, <see cref="MembershipProbe"/>), and the Orleans client
/// gets <see cref="StartTimeout"/> to start.
/// A silo that hangs (or whose node is cut off) still accepts connections but answers nothing, and Orleans' client then
/// waits for each answer until its response timeout, whatever becomes of the silo. So the client waits
/// <see cref="ResponseTimeout"/> for an answer (<see cref="Grains.Interfaces.LongCall"/>s excepted), asks the next gateway for the cluster's
/// manifest after <see cref="ManifestRetry"/>, re-reads the gateways every <see cref="GatewayListRefresh"/> (dropping
/// those of silos the cluster declared dead), and a command's call is retried until one answers (<see cref="CallAsync"/>,
/// <see cref="ChangeAsync"/>).
/// </summary>
public sealed class ClusterConnection : IAsyncDisposable
{
    /// <summary>How long the client may take to start: one gateway that does not answer the manifest's request, then another.</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long the client waits for one answer (a status answers in milliseconds); a <see cref="Grains.Interfaces.LongCall"/> waits 30 s.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(10);

    /// <summary>The pause before the cluster's manifest is asked of another gateway, and how often it is asked again.</summary>
    public static readonly TimeSpan ManifestRetry = TimeSpan.FromSeconds(2);

    /// <summary>How often a client through storage re-reads the gateways (Orleans' default: every minute).</summary>
    public static readonly TimeSpan GatewayListRefresh = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a command's call is retried: past the time a cluster takes to declare a hung silo dead (about 15 to 30 s
    /// with Orleans' defaults), Orleans' 30 s lease on that silo's grains, and the client's next look at the gateways.
    /// </summary>
    public static readonly TimeSpan CallRetryFor = TimeSpan.FromSeconds(60);

    private readonly IHost _host;
    private readonly TextWriter _notices;

    private ClusterConnection(IHost host, ClusterTarget? target, TextWriter notices)
    {
        _host = host;
        Target = target;
        Client = host.Services.GetRequiredService<IClusterClient>();
        _notices = notices;
    }

    public IClusterClient Client { get; }

    /// <summary>The cluster connected to; null for the embedded silo.</summary>
    public ClusterTarget? Target { get; }

    public bool Embedded => Target is null;

    /// <summary>Where the cluster is, for messages.</summary>
    public string Where => Target?.ToString() ?? "embedded silo";

    /// <summary>
    /// A call that may be sent again as it is (a status, a list, an export; a cancel): a failure or no answer in time (its
    /// gateway's silo hung or lost, the grain's silo lost) is retried for up to <see cref="CallRetryFor"/>, said once on
    /// the connection's notices (stderr), after which the last failure is thrown.
    /// </summary>
    public Task<T> CallAsync<T>(Func<IClusterClient, Task<T>> call, CancellationToken cancellation) =>
        ClusterRetry.AnswerAsync(() => call(Client).WaitAsync(cancellation), CallRetryFor, _notices.WriteLine, unavailable: null, cancellation);

    /// <summary>
    /// A change that must happen once (a resume; a start carries a token that makes sending it again harmless), retried as
    /// a <see cref="CallAsync"/> is; sent again and refused as done already (<paramref name="landed"/>), it answers with the
    /// status (<see cref="ClusterRetry.ChangeAsync"/>).
    /// </summary>
    public Task<T> ChangeAsync<T>(Func<IClusterClient, Task<T>> change, Func<T, bool> landed, Func<IClusterClient, Task<T>> status,
        CancellationToken cancellation) =>
        ClusterRetry.ChangeAsync(() => change(Client).WaitAsync(cancellation), landed, () => status(Client).WaitAsync(cancellation),
            CallRetryFor, _notices.WriteLine, cancellation);

    /// <summary>Connects through the gateway at host:port to the cluster with this id.</summary>
    public static Task<ClusterConnection> ConnectAsync(string gateway, string clusterId, CancellationToken cancellation) =>
        ConnectAsync(ClusterTarget.Configured(gateway, null, clusterId), TextWriter.Null, cancellation);

    /// <summary>Connects to the target, or starts an embedded silo when it is null; <paramref name="notices"/> hears of retried calls.</summary>
    public static async Task<ClusterConnection> ConnectAsync(ClusterTarget? target, TextWriter notices, CancellationToken cancellation)
    {
        if (target is null) return await StartEmbeddedAsync(notices, cancellation);
        if (target.Gateway is not null && await GatewayProbe.FailureAsync(ParseGateway(target.Gateway), cancellation) is string refused)
            throw new ClusterUnavailableException(
                $"cannot reach the cluster's gateway at {target.Gateway} ({refused}); is a silo running there? (--gateway, {ClusterTarget.GatewayVariable})");

        if (target.Gateway is null && await NoGatewayAsync(target, cancellation) is string none)
            throw new ClusterUnavailableException(Unreachable(target, none));

        // Through storage, a start that timed out (its gateway's silo hung, and still an active member) is tried again
        // with the gateways read afresh, for as long as a command's call is retried; through one gateway there is no other.
        var firstTry = DateTime.UtcNow;
        bool said = false;
        while (true)
        {
            var host = BuildClient(target);
            try
            {
                await host.StartAsync(cancellation).WaitAsync(StartTimeout, cancellation);
                return new ClusterConnection(host, target, notices);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
            {
                await StopQuietlyAsync(host);
                bool again = e is TimeoutException && target.Gateway is null && DateTime.UtcNow - firstTry + StartTimeout <= CallRetryFor;
                if (!again) throw new ClusterUnavailableException(StartFailure(target, e));
                if (!said) notices.WriteLine($"cluster unavailable ({NoGatewayAnswered}), retrying");
                said = true;
            }
        }
    }

    // why no gateway listed in the cluster's membership table can be reached (null: one can), in the client's words
    private static async Task<string?> NoGatewayAsync(ClusterTarget target, CancellationToken cancellation)
    {
        try
        {
            return await MembershipProbe.FailureAsync(new TableServiceClient(target.StorageConnectionString, QuickRetries()), target.ClusterId, cancellation);
        }
        catch (Exception e) when (Inner(e).Any(x => x is Azure.RequestFailedException))   // after its retries, an AggregateException
        {
            throw new ClusterUnavailableException(StartFailure(target, e));
        }
    }

    private static IHost BuildClient(ClusterTarget target)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        builder.UseOrleansClient(client =>
        {
            if (target.Gateway is not null) client.UseStaticClustering(ParseGateway(target.Gateway));
            else client.UseAzureStorageClustering(o => o.TableServiceClient = new TableServiceClient(target.StorageConnectionString, QuickRetries()));
            client.Configure<ClusterOptions>(o => { o.ClusterId = target.ClusterId; o.ServiceId = new ClusterSettings().ServiceId; });
            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = ResponseTimeout);
            client.Configure<TypeManagementOptions>(o => o.TypeMapRefreshInterval = ManifestRetry);
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = GatewayListRefresh);
        });
        return builder.Build();
    }

    private static async Task<ClusterConnection> StartEmbeddedAsync(TextWriter notices, CancellationToken cancellation)
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
        return new ClusterConnection(app, null, notices);
    }

    private static string NoGatewayAnswered => $"no active gateway answered within {StartTimeout.TotalSeconds:0} s";

    // what went wrong starting the client, as the rest of the one line after "error: "
    private static string StartFailure(ClusterTarget target, Exception e)
    {
        string reason = e is not TimeoutException ? ClusterFailures.Reason(e)
            : target.Gateway is not null ? $"no answer within {StartTimeout.TotalSeconds:0} s"
            : NoGatewayAnswered;
        if (target.Gateway is not null)
            return $"cannot connect to the cluster at {target.Gateway} (cluster id '{target.ClusterId}'): {reason}; "
                + $"is a silo of cluster '{target.ClusterId}' running there? (--gateway, --cluster-id, {ClusterTarget.ClusterIdVariable})";
        if (Inner(e).Any(x => x is Azure.RequestFailedException))
            return $"cannot reach the storage of cluster '{target.ClusterId}' at {target.StorageEndpoint} ({reason}); does the storage answer there? (--storage, {ClusterTarget.StorageVariable})";
        if (e.Message.Contains("Could not find any gateway", StringComparison.OrdinalIgnoreCase)) reason = "no active gateway in its membership table";
        return Unreachable(target, reason);
    }

    private static string Unreachable(ClusterTarget target, string reason) =>
        $"cannot reach the cluster '{target.ClusterId}' through storage at {target.StorageEndpoint} ({reason}); is a silo of that cluster running? (--cluster-id, {ClusterTarget.ClusterIdVariable})";

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
