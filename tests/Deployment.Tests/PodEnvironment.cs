using k8s.Models;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// A container's environment as the kubelet would give it: literal values, the downward API's fields (metadata.name,
/// metadata.namespace, status.podIP, metadata.labels['...'], metadata.annotations['...']) and Secret keys, the pod's
/// own values supplied by the caller.
/// </summary>
internal static class PodEnvironment
{
    public sealed record Pod(string Name, string Namespace, string IP);

    /// <summary>The resolved variables, in order; problems (a field or a kind of source that cannot be resolved) are added to <paramref name="problems"/>.</summary>
    public static List<KeyValuePair<string, string>> Resolve(V1PodTemplateSpec template, V1Container container, Pod pod,
        Func<string, string, string?> secret, List<string> problems, string where)
    {
        var env = new List<KeyValuePair<string, string>>();
        if (container.EnvFrom is { Count: > 0 }) problems.Add($"{where}.envFrom: its keys cannot be checked against the code; set env one by one");
        var labels = template.Metadata?.Labels ?? new Dictionary<string, string>();
        var annotations = template.Metadata?.Annotations ?? new Dictionary<string, string>();
        for (int i = 0; i < (container.Env?.Count ?? 0); i++)
        {
            var variable = container.Env![i];
            string at = $"{where}.env[{i}] {variable.Name}";
            string? value = variable.Value;
            if (variable.ValueFrom is { } from)
            {
                if (from.FieldRef is { } field)
                {
                    string path = field.FieldPath;
                    value = path switch
                    {
                        "metadata.name" => pod.Name,
                        "metadata.namespace" => pod.Namespace,
                        "status.podIP" => pod.IP,
                        _ when Bracketed(path, "metadata.labels") is string label => labels.TryGetValue(label, out var l) ? l : null,
                        _ when Bracketed(path, "metadata.annotations") is string annotation => annotations.TryGetValue(annotation, out var a) ? a : null,
                        _ => null,
                    };
                    if (value is null) problems.Add($"{at}: fieldRef {path} gives no value for this pod (no such label, annotation or field)");
                }
                else if (from.SecretKeyRef is { } secretRef)
                {
                    value = secret(secretRef.Name, secretRef.Key);
                    if (value is null) problems.Add($"{at}: secretKeyRef {secretRef.Name}/{secretRef.Key} is not in the rendered objects");
                }
                else
                {
                    problems.Add($"{at}: only value, fieldRef and secretKeyRef are resolved by the checks");
                }
            }
            env.Add(new(variable.Name, value ?? ""));
        }
        return env;
    }

    private static string? Bracketed(string path, string prefix) =>
        path.StartsWith(prefix + "['", StringComparison.Ordinal) && path.EndsWith("']", StringComparison.Ordinal) ? path[(prefix.Length + 2)..^2] : null;
}
