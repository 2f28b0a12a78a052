using Azure.Data.Tables;
using RnnCluster.Numerics;
using RnnCluster.Silo;

namespace RnnCluster.Client;

/// <summary>
/// Which cluster a command talks to, and how it finds it: through one gateway (<c>--gateway host:port</c>, or
/// RNNCLUSTER_GATEWAY), or through the membership table in Azure Storage (<c>--storage CONNECTION_STRING</c>, or the
/// connection string named AzureStorage in ConnectionStrings__AzureStorage), with the cluster id (<c>--cluster-id</c>,
/// or RNNCLUSTER_CLUSTER_ID, default rnncluster). Options come before the environment; a gateway before storage.
/// The connection string is a secret: it is never printed (<see cref="ToString"/> names the storage endpoint only).
/// </summary>
public sealed class ClusterTarget
{
    public const string GatewayVariable = "RNNCLUSTER_GATEWAY";
    public const string ClusterIdVariable = "RNNCLUSTER_CLUSTER_ID";
    public static readonly string StorageVariable = $"ConnectionStrings__{ClusterSettings.ConnectionStringName}";

    private ClusterTarget(string clusterId, string? gateway, string? storageConnectionString, string? storageEndpoint)
    {
        ClusterId = clusterId;
        Gateway = gateway;
        StorageConnectionString = storageConnectionString;
        StorageEndpoint = storageEndpoint;
    }

    public string ClusterId { get; }

    /// <summary>host:port as the user gave it, when the cluster is reached through one gateway.</summary>
    public string? Gateway { get; }

    /// <summary>The storage connection string, when the gateways are read from the cluster's membership table.</summary>
    public string? StorageConnectionString { get; }

    /// <summary>The storage's table endpoint (no key), to name it in messages.</summary>
    public string? StorageEndpoint { get; }

    /// <summary>
    /// The configured cluster, or null when none is (then train starts an embedded silo). Bad values throw
    /// <see cref="InvalidInputException"/> before anything connects.
    /// </summary>
    public static ClusterTarget? Configured(string? gatewayOption, string? storageOption, string? clusterIdOption)
    {
        if (!string.IsNullOrWhiteSpace(gatewayOption) && !string.IsNullOrWhiteSpace(storageOption))
            throw new InvalidInputException("--storage", "given with --gateway; name the cluster one way, by its gateway or by its storage");
        string clusterId = !string.IsNullOrWhiteSpace(clusterIdOption) ? clusterIdOption
            : Variable(ClusterIdVariable) ?? new ClusterSettings().ClusterId;
        if (!string.IsNullOrWhiteSpace(gatewayOption)) return ThroughGateway(gatewayOption, clusterId);
        if (!string.IsNullOrWhiteSpace(storageOption)) return ThroughStorage(storageOption, "--storage", clusterId);
        if (Variable(GatewayVariable) is string gateway) return ThroughGateway(gateway, clusterId);
        if (Variable(StorageVariable) is string storage) return ThroughStorage(storage, StorageVariable, clusterId);
        return null;
    }

    private static ClusterTarget ThroughGateway(string gateway, string clusterId)
    {
        ClusterConnection.ParseGateway(gateway);   // a malformed one is bad input, before connecting
        return new ClusterTarget(clusterId, gateway.Trim(), null, null);
    }

    private static ClusterTarget ThroughStorage(string connectionString, string field, string clusterId)
    {
        try
        {
            var endpoint = new TableServiceClient(connectionString).Uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
            return new ClusterTarget(clusterId, null, connectionString, endpoint);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // the message of these may quote the string, which holds the account key: not shown
            throw new InvalidInputException(field, "is not an Azure Storage connection string (AccountName=...;AccountKey=...;TableEndpoint=... or UseDevelopmentStorage=true)");
        }
    }

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } v && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

    /// <summary>Where the cluster is, for messages: "gateway HOST:PORT" or "cluster 'ID' in storage ENDPOINT".</summary>
    public override string ToString() => Gateway is not null ? $"gateway {Gateway}" : $"cluster '{ClusterId}' in storage {StorageEndpoint}";
}
