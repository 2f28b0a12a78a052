using Microsoft.Extensions.Configuration;

namespace RnnCluster.Silo;

/// <summary>
/// A silo's cluster settings, read from the "Orleans" configuration section (appsettings.json, environment variables
/// such as Orleans__SiloPort, or --Orleans:SiloPort=11112 on the command line): ClusterId, ServiceId, SiloPort,
/// GatewayPort, PrimarySiloPort (localhost clustering only: the silo on 127.0.0.1 the others join), and the storage
/// connection string named AzureStorage (ConnectionStrings:AzureStorage, env ConnectionStrings__AzureStorage).
/// </summary>
public sealed record ClusterSettings(string ClusterId = "rnncluster", string ServiceId = "rnncluster", int SiloPort = 11111, int GatewayPort = 30000,
    int? PrimarySiloPort = null, string? StorageConnectionString = null)
{
    public const string ConnectionStringName = "AzureStorage";

    /// <summary>True when the cluster keeps its membership, jobs and checkpoints in Azure Storage (else in memory).</summary>
    public bool Durable => !string.IsNullOrWhiteSpace(StorageConnectionString);

    public static ClusterSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Orleans");
        var defaults = new ClusterSettings();
        return new ClusterSettings(
            section["ClusterId"] ?? defaults.ClusterId,
            section["ServiceId"] ?? defaults.ServiceId,
            section.GetValue("SiloPort", defaults.SiloPort),
            section.GetValue("GatewayPort", defaults.GatewayPort),
            section.GetValue<int?>("PrimarySiloPort"),
            configuration.GetConnectionString(ConnectionStringName));
    }
}
