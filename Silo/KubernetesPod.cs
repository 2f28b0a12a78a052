using System.Net;

namespace RnnCluster.Silo;

/// <summary>
/// Where a silo runs when <c>RnnCluster:Hosting</c> is <c>Kubernetes</c>: the pod's name, namespace and IP and the
/// Orleans service and cluster ids, from the variables Microsoft.Orleans.Hosting.Kubernetes reads (set by the
/// Deployment from the downward API: metadata.name, metadata.namespace, status.podIP and the pod labels
/// orleans/serviceId and orleans/clusterId). Every one is required, and so is the storage connection string (the
/// cluster's membership lives in Azure Table storage): a missing or malformed one is a
/// <see cref="SiloConfigurationException"/> naming it, before anything starts.
/// </summary>
public sealed record KubernetesPod(string Name, string Namespace, IPAddress IP, string ServiceId, string ClusterId)
{
    public const string PodNameVariable = "POD_NAME";
    public const string PodNamespaceVariable = "POD_NAMESPACE";
    public const string PodIPVariable = "POD_IP";
    public const string ServiceIdVariable = "ORLEANS_SERVICE_ID";
    public const string ClusterIdVariable = "ORLEANS_CLUSTER_ID";

    /// <summary>Set by the kubelet in every pod: the Kubernetes API is reachable (the pod agent of Orleans needs it).</summary>
    public const string ApiHostVariable = "KUBERNETES_SERVICE_HOST";

    /// <summary>The variables this record is read from, in the order they are checked.</summary>
    public static readonly IReadOnlyList<string> Variables = [PodNameVariable, PodNamespaceVariable, PodIPVariable, ServiceIdVariable, ClusterIdVariable];

    /// <summary>The pod, read from <paramref name="configuration"/> (which holds the environment's variables).</summary>
    /// <exception cref="SiloConfigurationException">a variable is missing or POD_IP is not an IP address.</exception>
    public static KubernetesPod From(IConfiguration configuration)
    {
        string name = Required(configuration, PodNameVariable, "the pod's name, from the downward API: metadata.name");
        string @namespace = Required(configuration, PodNamespaceVariable, "the pod's namespace, from the downward API: metadata.namespace");
        string ip = Required(configuration, PodIPVariable, "the pod's IP, from the downward API: status.podIP");
        string serviceId = Required(configuration, ServiceIdVariable, "the Orleans service id, from the pod label orleans/serviceId");
        string clusterId = Required(configuration, ClusterIdVariable, "the Orleans cluster id, from the pod label orleans/clusterId");
        if (!IPAddress.TryParse(ip, out var address))
            throw new SiloConfigurationException($"{ClusterSettings.HostingKey} is {ClusterSettings.KubernetesHosting}, but {PodIPVariable} is '{ip}', not an IP address");
        return new KubernetesPod(name, @namespace, address, serviceId, clusterId);
    }

    /// <summary>Whether the Kubernetes API can be reached from here (in a pod: the kubelet sets KUBERNETES_SERVICE_HOST).</summary>
    public static bool ApiAvailable(IConfiguration configuration) => !string.IsNullOrWhiteSpace(configuration[ApiHostVariable]);

    private static string Required(IConfiguration configuration, string variable, string what) =>
        configuration[variable] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim()
            : throw new SiloConfigurationException($"{ClusterSettings.HostingKey} is {ClusterSettings.KubernetesHosting}, but {variable} is not set ({what})");
}
