using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace RnnCluster.Deployment.Tests;

// The Prometheus Operator's ServiceMonitor (monitoring.coreos.com/v1) is a custom resource, so the Kubernetes API's
// models do not have it. These are the fields of its CRD that a ServiceMonitor of RnnCluster may use, named as the
// CRD names them; the strict check rejects any other, as it does for the API's own types.

[KubernetesEntity(Group = "monitoring.coreos.com", Kind = "ServiceMonitor", ApiVersion = "v1", PluralName = "servicemonitors")]
internal sealed class V1ServiceMonitor : IKubernetesObject<V1ObjectMeta>
{
    [JsonPropertyName("apiVersion")] public string ApiVersion { get; set; } = "";
    [JsonPropertyName("kind")] public string Kind { get; set; } = "";
    [JsonPropertyName("metadata")] public V1ObjectMeta Metadata { get; set; } = new();
    [JsonPropertyName("spec")] public V1ServiceMonitorSpec? Spec { get; set; }
}

internal sealed class V1ServiceMonitorSpec
{
    [JsonPropertyName("selector")] public V1LabelSelector? Selector { get; set; }
    [JsonPropertyName("namespaceSelector")] public V1ServiceMonitorNamespaceSelector? NamespaceSelector { get; set; }
    [JsonPropertyName("endpoints")] public IList<V1ServiceMonitorEndpoint>? Endpoints { get; set; }
    [JsonPropertyName("jobLabel")] public string? JobLabel { get; set; }
    [JsonPropertyName("targetLabels")] public IList<string>? TargetLabels { get; set; }
    [JsonPropertyName("podTargetLabels")] public IList<string>? PodTargetLabels { get; set; }
    [JsonPropertyName("sampleLimit")] public long? SampleLimit { get; set; }
}

internal sealed class V1ServiceMonitorNamespaceSelector
{
    [JsonPropertyName("any")] public bool? Any { get; set; }
    [JsonPropertyName("matchNames")] public IList<string>? MatchNames { get; set; }
}

internal sealed class V1ServiceMonitorEndpoint
{
    [JsonPropertyName("port")] public string? Port { get; set; }
    [JsonPropertyName("targetPort")] public IntOrString? TargetPort { get; set; }
    [JsonPropertyName("path")] public string? Path { get; set; }
    [JsonPropertyName("scheme")] public string? Scheme { get; set; }
    [JsonPropertyName("interval")] public string? Interval { get; set; }
    [JsonPropertyName("scrapeTimeout")] public string? ScrapeTimeout { get; set; }
    [JsonPropertyName("honorLabels")] public bool? HonorLabels { get; set; }
    [JsonPropertyName("honorTimestamps")] public bool? HonorTimestamps { get; set; }
}
