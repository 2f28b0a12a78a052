using System.CommandLine;

namespace RnnCluster.Client;

/// <summary>The options that say which cluster a command talks to.</summary>
public static class ClusterCommandOptions
{
    public static Option<string?> Gateway() => new("--gateway")
    {
        Description = $"host:port of a running cluster's gateway (or set {ClusterConnection.GatewayVariable}); without it, train starts an embedded silo",
    };

    public static Option<string?> ClusterId() => new("--cluster-id")
    {
        Description = $"Cluster id of that cluster (default rnncluster, or {ClusterConnection.ClusterIdVariable})",
    };
}
