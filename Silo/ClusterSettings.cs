namespace RnnCluster.Silo;

/// <summary>
/// A silo's cluster settings, read from the "Orleans" configuration section (appsettings.json, environment variables
/// such as Orleans__SiloPort, or --Orleans:SiloPort=11112 on the command line): ClusterId, ServiceId, SiloPort,
/// GatewayPort, PrimarySiloPort (localhost clustering only: the silo on 127.0.0.1 the others join), AdvertisedIP, and
/// the storage connection string named AzureStorage (ConnectionStrings:AzureStorage, env ConnectionStrings__AzureStorage).
/// <c>RnnCluster:Hosting</c> is <c>Local</c> (the default) or <c>Kubernetes</c>: then the pod's variables are required
/// (<see cref="KubernetesPod"/>), the cluster and service ids are theirs, and so is the storage connection string.
/// <c>RnnCluster:ShutdownTimeout</c> bounds a graceful stop (grains handed over, membership left; 30 s by default).
/// </summary>
public sealed record ClusterSettings(string ClusterId = "rnncluster", string ServiceId = "rnncluster", int SiloPort = 11111, int GatewayPort = 30000,
    int? PrimarySiloPort = null, string? StorageConnectionString = null)
{
    public const string ConnectionStringName = "AzureStorage";

    // Every key this record reads (the deployment tests check the manifests' variables against these).
    public const string ClusterIdKey = "Orleans:ClusterId";
    public const string ServiceIdKey = "Orleans:ServiceId";
    public const string SiloPortKey = "Orleans:SiloPort";
    public const string GatewayPortKey = "Orleans:GatewayPort";
    public const string PrimarySiloPortKey = "Orleans:PrimarySiloPort";
    public const string AdvertisedIPKey = "Orleans:AdvertisedIP";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;
    public const string HostingKey = "RnnCluster:Hosting";
    public const string ShutdownTimeoutKey = "RnnCluster:ShutdownTimeout";

    public const string LocalHosting = "Local";
    public const string KubernetesHosting = "Kubernetes";

    /// <summary>The configuration keys <see cref="From"/> reads, besides the pod's variables in Kubernetes hosting.</summary>
    public static readonly IReadOnlyList<string> Keys =
        [ClusterIdKey, ServiceIdKey, SiloPortKey, GatewayPortKey, PrimarySiloPortKey, AdvertisedIPKey, ConnectionStringKey, HostingKey, ShutdownTimeoutKey];

    /// <summary>True when the cluster keeps its membership, jobs and checkpoints in Azure Storage (else in memory).</summary>
    public bool Durable => !string.IsNullOrWhiteSpace(StorageConnectionString);

    /// <summary>The pod this silo runs in, when RnnCluster:Hosting is Kubernetes.</summary>
    public KubernetesPod? Pod { get; init; }

    /// <summary>How long a graceful stop may take (the host's shutdown timeout); a pod's grace period must exceed it.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The settings in <paramref name="configuration"/>.</summary>
    /// <exception cref="SiloConfigurationException">a value is malformed, or one Kubernetes hosting requires is missing.</exception>
    public static ClusterSettings From(IConfiguration configuration)
    {
        var defaults = new ClusterSettings();
        string hosting = configuration[HostingKey] is { Length: > 0 } h ? h.Trim() : LocalHosting;
        KubernetesPod? pod = null;
        if (hosting.Equals(KubernetesHosting, StringComparison.OrdinalIgnoreCase))
        {
            pod = KubernetesPod.From(configuration);
            if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)))
                throw new SiloConfigurationException($"{HostingKey} is {KubernetesHosting}, but {ConnectionStringKey} is not set " +
                    $"(env ConnectionStrings__{ConnectionStringName}: the Azure Storage account that holds the cluster's membership, jobs and checkpoints)");
        }
        else if (!hosting.Equals(LocalHosting, StringComparison.OrdinalIgnoreCase))
        {
            throw new SiloConfigurationException($"{HostingKey} is '{hosting}'; expected {LocalHosting} or {KubernetesHosting}");
        }

        return new ClusterSettings(
            pod?.ClusterId ?? configuration[ClusterIdKey] ?? defaults.ClusterId,
            pod?.ServiceId ?? configuration[ServiceIdKey] ?? defaults.ServiceId,
            Port(configuration, SiloPortKey) ?? defaults.SiloPort,
            Port(configuration, GatewayPortKey) ?? defaults.GatewayPort,
            Port(configuration, PrimarySiloPortKey),
            configuration.GetConnectionString(ConnectionStringName))
        {
            Pod = pod,
            ShutdownTimeout = Duration(configuration, ShutdownTimeoutKey) ?? defaults.ShutdownTimeout,
        };
    }

    private static int? Port(IConfiguration configuration, string key) => configuration[key] switch
    {
        null or "" => null,
        var v when int.TryParse(v, out int port) && port is > 0 and <= 65535 => port,
        var v => throw new SiloConfigurationException($"{key} is '{v}', not a port (1..65535)"),
    };

    private static TimeSpan? Duration(IConfiguration configuration, string key) => configuration[key] switch
    {
        null or "" => null,
        var v when TimeSpan.TryParse(v, System.Globalization.CultureInfo.InvariantCulture, out var t) && t > TimeSpan.Zero => t,
        var v => throw new SiloConfigurationException($"{key} is '{v}', not a positive duration (hh:mm:ss)"),
    };
}
