using System.Net;
using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Orleans.Hosting;

namespace RnnCluster.Grains;

/// <summary>
/// A silo's cluster settings, read from the "Orleans" configuration section (appsettings.json, environment
/// variables such as Orleans__SiloPort, or --Orleans:SiloPort=11112 on the command line):
/// ClusterId, ServiceId, SiloPort, GatewayPort, and PrimarySiloPort (the silo on 127.0.0.1 that localhost clustering
/// joins; the first silo leaves it at its own SiloPort).
/// </summary>
public sealed record SiloSettings(string ClusterId = "rnncluster", string ServiceId = "rnncluster", int SiloPort = 11111, int GatewayPort = 30000,
    int? PrimarySiloPort = null)
{
    public static SiloSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Orleans");
        var defaults = new SiloSettings();
        return new SiloSettings(
            section["ClusterId"] ?? defaults.ClusterId,
            section["ServiceId"] ?? defaults.ServiceId,
            section.GetValue("SiloPort", defaults.SiloPort),
            section.GetValue("GatewayPort", defaults.GatewayPort),
            section.GetValue<int?>("PrimarySiloPort"));
    }

    /// <summary>Localhost clustering on 127.0.0.1 with these ports and ids, plus what every RnnCluster silo needs.</summary>
    public void Apply(ISiloBuilder silo)
    {
        var primary = new IPEndPoint(IPAddress.Loopback, PrimarySiloPort ?? SiloPort);
        silo.UseLocalhostClustering(SiloPort, GatewayPort, primary, ServiceId, ClusterId);
        silo.Configure<ClusterOptions>(o => { o.ClusterId = ClusterId; o.ServiceId = ServiceId; });
        silo.AddRnnCluster();
    }
}
