using System.Reflection;
using RnnCluster.Client;
using RnnCluster.Silo;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// What the silo and the client read from their environment, taken from the code itself: the keys ClusterSettings
/// reads, the pod's variables (KubernetesPod), every settable property of the options each bound section
/// (SiloHost.BoundSections) binds to, the ASP.NET Core host's listening variables, and the client's variables
/// (ClusterTarget). An environment variable names a key as ASP.NET Core's configuration does: "__" for ":", any case.
/// </summary>
internal static class ConfigurationKeys
{
    /// <summary>Variables the silo's web host reads itself (ASP.NET Core: where /metrics and /health listen).</summary>
    public static readonly string[] SiloHostVariables = ["ASPNETCORE_HTTP_PORTS", "ASPNETCORE_URLS"];

    public static readonly IReadOnlySet<string> Silo = BuildSilo();

    public static readonly IReadOnlySet<string> Client = new HashSet<string>(
        [ClusterTarget.GatewayVariable, ClusterTarget.ClusterIdVariable, Key(ClusterTarget.StorageVariable)], StringComparer.OrdinalIgnoreCase);

    /// <summary>The configuration key an environment variable sets ("RnnCluster__Jobs__X" is "RnnCluster:Jobs:X").</summary>
    public static string Key(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);

    private static HashSet<string> BuildSilo()
    {
        var keys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        keys.UnionWith(ClusterSettings.Keys);
        keys.UnionWith(KubernetesPod.Variables);
        keys.UnionWith(SiloHostVariables);
        foreach (var (section, options) in SiloHost.BoundSections)
            foreach (var p in options.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (p.SetMethod is { IsPublic: true }) keys.Add($"{section}:{p.Name}");
        return keys;
    }
}
