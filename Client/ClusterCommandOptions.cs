using System.CommandLine;

namespace RnnCluster.Client;

/// <summary>The options that say which cluster a command talks to: --gateway, --storage and --cluster-id.</summary>
public sealed class ClusterCommandOptions
{
    public Option<string?> Gateway { get; } = new("--gateway")
    {
        Description = $"host:port of a running cluster's gateway (or set {ClusterTarget.GatewayVariable})",
    };

    public Option<string?> Storage { get; } = new("--storage")
    {
        Description = $"Azure Storage connection string of a running cluster, whose membership table lists its gateways (or set {ClusterTarget.StorageVariable})",
    };

    public Option<string?> ClusterId { get; } = new("--cluster-id")
    {
        Description = $"Cluster id of that cluster (default rnncluster, or {ClusterTarget.ClusterIdVariable})",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Gateway);
        command.Options.Add(Storage);
        command.Options.Add(ClusterId);
    }

    /// <summary>The cluster these options (or the environment) name; null when none is named.</summary>
    public ClusterTarget? Target(ParseResult parse) => ClusterTarget.Configured(parse.GetValue(Gateway), parse.GetValue(Storage), parse.GetValue(ClusterId));
}
