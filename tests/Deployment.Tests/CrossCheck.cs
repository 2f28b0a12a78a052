using System.Globalization;
using System.Text;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using RnnCluster.Silo;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// Checks that the rendered objects of one environment (its silos and its sweep Job) agree with the code and with
/// each other. Every problem is one line: "Kind/name: field path: what is wrong".
/// <list type="bullet">
/// <item>Configuration: every variable a silo or client container sets is a key that program reads
/// (<see cref="ConfigurationKeys"/>), and the silo's own configuration reading (ClusterSettings.From, and the bound
/// sections with unknown keys as errors) accepts the values.</item>
/// <item>Ports: the silo, gateway and http container ports are those the silo's configuration listens on; probes,
/// Services, the NetworkPolicy, the ServiceMonitor and the Prometheus annotations name those ports.</item>
/// <item>Cluster identity: the pod labels orleans/serviceId and orleans/clusterId feed ORLEANS_SERVICE_ID and
/// ORLEANS_CLUSTER_ID, the service id is the client's, and the sweep Job's cluster id is the silos'.</item>
/// <item>Security, resources, shutdown, RBAC, disruption budget, autoscaler, secrets, and the dashboard ConfigMap.</item>
/// </list>
/// </summary>
internal static class CrossCheck
{
    /// <summary>The Secret the manifests read the storage connection string from.</summary>
    public const string StorageSecret = "rnncluster-storage";

    public const string SiloImage = "rnncluster/silo";
    public const string ClientImage = "rnncluster/client";

    /// <summary>A stand-in pod, for resolving the downward API.</summary>
    public static readonly PodEnvironment.Pod ExamplePod = new("rnncluster-silo-7d9f8b6c4-x2k4p", "rnncluster", "10.244.1.17");

    /// <param name="objects">the environment's rendered objects, strictly valid (<see cref="StrictCheck"/>).</param>
    /// <param name="secretsInRender">true for dev (its Secrets are in the render), false for prod (the user creates them; the render must hold none).</param>
    public static List<string> Problems(IReadOnlyList<RenderedObject> objects, bool secretsInRender)
    {
        var problems = new List<string>();
        var secrets = objects.Where(o => o.Kind == "Secret").ToDictionary(o => o.Name, StrictCheck.Load<V1Secret>);
        string? Secret(string name, string key)
        {
            if (secrets.TryGetValue(name, out var s))
                return s.StringData?.TryGetValue(key, out var text) == true ? text
                    : s.Data?.TryGetValue(key, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
            return secretsInRender ? null : $"<the Secret {name}, created by the user>";
        }

        CheckSecrets(objects, secretsInRender, problems);
        var deployments = objects.Where(o => o.Kind == "Deployment").Select(o => (o, d: StrictCheck.Load<V1Deployment>(o))).ToList();
        var jobs = objects.Where(o => o.Kind == "Job").Select(o => (o, j: StrictCheck.Load<V1Job>(o))).ToList();

        var silos = deployments.Where(x => Runs(x.d.Spec.Template, SiloImage)).ToList();
        if (silos.Count != 1) problems.Add($"(render): {silos.Count} Deployments run the image {SiloImage}, expected 1");

        foreach (var (o, d) in deployments) CheckWorkload(o, d.Spec.Template, problems, Secret);
        foreach (var (o, j) in jobs) CheckWorkload(o, j.Spec.Template, problems, Secret);

        foreach (var (o, d) in silos) CheckSilo(o, d, objects, jobs.Select(x => (x.o, x.j)).ToList(), problems, Secret);
        CheckDashboard(objects, problems);
        return problems;
    }

    // ---------------------------------------------------------------------------------------------- every pod

    private static void CheckWorkload(RenderedObject o, V1PodTemplateSpec template, List<string> problems, Func<string, string, string?> secret)
    {
        var pod = template.Spec;
        string spec = "spec.template.spec";
        if (pod.SecurityContext?.RunAsNonRoot != true) problems.Add($"{o.Id}: {spec}.securityContext.runAsNonRoot: must be true");
        if (pod.SecurityContext?.RunAsUser is 0) problems.Add($"{o.Id}: {spec}.securityContext.runAsUser: must not be 0 (root)");
        for (int i = 0; i < pod.Containers.Count; i++)
        {
            var c = pod.Containers[i];
            string at = $"{spec}.containers[{i}]";
            var sc = c.SecurityContext;
            if (sc?.AllowPrivilegeEscalation != false) problems.Add($"{o.Id}: {at}.securityContext.allowPrivilegeEscalation: must be false");
            if (sc?.ReadOnlyRootFilesystem != true) problems.Add($"{o.Id}: {at}.securityContext.readOnlyRootFilesystem: must be true");
            if (sc?.Privileged == true) problems.Add($"{o.Id}: {at}.securityContext.privileged: must not be true");
            if (sc?.Capabilities?.Drop?.Contains("ALL") != true) problems.Add($"{o.Id}: {at}.securityContext.capabilities.drop: must contain ALL");
            if (sc?.Capabilities?.Add is { Count: > 0 }) problems.Add($"{o.Id}: {at}.securityContext.capabilities.add: must be empty");
            if ((sc?.SeccompProfile ?? pod.SecurityContext?.SeccompProfile)?.Type != "RuntimeDefault")
                problems.Add($"{o.Id}: {at}.securityContext.seccompProfile.type (or the pod's): must be RuntimeDefault");
            foreach (var kind in new[] { "requests", "limits" })
            {
                var quantities = kind == "requests" ? c.Resources?.Requests : c.Resources?.Limits;
                foreach (var resource in new[] { "cpu", "memory" })
                    if (quantities?.ContainsKey(resource) != true) problems.Add($"{o.Id}: {at}.resources.{kind}.{resource}: must be set");
            }

            // configuration: every variable a key the program reads
            var keys = Program(c.Image) switch { SiloImage => ConfigurationKeys.Silo, ClientImage => ConfigurationKeys.Client, _ => null };
            string program = Program(c.Image) == SiloImage ? "the silo" : "the client";
            for (int e = 0; e < (c.Env?.Count ?? 0); e++)
            {
                string name = c.Env![e].Name;
                if (keys is null)
                    problems.Add($"{o.Id}: {at}.env[{e}] {name}: set on image {c.Image}, which is neither the silo nor the client");
                else if (!keys.Contains(name) && !keys.Contains(ConfigurationKeys.Key(name)))
                    problems.Add($"{o.Id}: {at}.env[{e}] {name}: {program} reads no such key ({ConfigurationKeys.Key(name)})");
            }
            if (Program(c.Image) == ClientImage)
            {
                var env = PodEnvironment.Resolve(template, c, ExamplePod, secret, problems, $"{o.Id}: {at}");
                if (env.FirstOrDefault(v => v.Key == RnnCluster.Client.ClusterTarget.StorageVariable).Value is not { Length: > 0 }
                    && env.FirstOrDefault(v => v.Key == RnnCluster.Client.ClusterTarget.GatewayVariable).Value is not { Length: > 0 })
                    problems.Add($"{o.Id}: {at}.env: names no cluster ({RnnCluster.Client.ClusterTarget.StorageVariable} or {RnnCluster.Client.ClusterTarget.GatewayVariable}): the client would start an embedded silo");
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- the silos

    private static void CheckSilo(RenderedObject o, V1Deployment deployment, IReadOnlyList<RenderedObject> objects, List<(RenderedObject o, V1Job j)> jobs,
        List<string> problems, Func<string, string, string?> secret)
    {
        var template = deployment.Spec.Template;
        var labels = template.Metadata?.Labels ?? new Dictionary<string, string>();
        int index = template.Spec.Containers.ToList().FindIndex(c => Program(c.Image) == SiloImage);
        var container = template.Spec.Containers[index];
        string at = $"spec.template.spec.containers[{index}]";

        // The silo's own configuration reading, on the environment the kubelet would give it.
        var env = PodEnvironment.Resolve(template, container, ExamplePod with { Namespace = o.Namespace ?? "default" }, secret, problems, $"{o.Id}: {at}");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(env.Select(v => new KeyValuePair<string, string?>(ConfigurationKeys.Key(v.Key), v.Value))).Build();
        ClusterSettings settings;
        try
        {
            settings = ClusterSettings.From(configuration);
        }
        catch (SiloConfigurationException e)
        {
            problems.Add($"{o.Id}: {at}.env: the silo refuses its configuration: {e.Message}");
            return;
        }
        if (settings.Pod is null) problems.Add($"{o.Id}: {at}.env: {ClusterSettings.HostingKey} must be {ClusterSettings.KubernetesHosting}");
        foreach (var (section, type) in SiloHost.BoundSections)
        {
            try
            {
                configuration.GetSection(section).Get(type, b => b.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException e)
            {
                problems.Add($"{o.Id}: {at}.env: section {section} does not bind to {type.Name}: {e.Message.Split('\n')[0]}");
            }
        }

        // Cluster identity.
        string clientServiceId = new ClusterSettings().ServiceId;
        foreach (var (label, variable) in new[] { ("orleans/serviceId", KubernetesPod.ServiceIdVariable), ("orleans/clusterId", KubernetesPod.ClusterIdVariable) })
        {
            if (!labels.ContainsKey(label)) problems.Add($"{o.Id}: spec.template.metadata.labels.{label}: missing (Orleans' Kubernetes agent selects the cluster's pods by it)");
            var source = container.Env?.FirstOrDefault(v => v.Name == variable)?.ValueFrom?.FieldRef?.FieldPath;
            if (source != $"metadata.labels['{label}']")
                problems.Add($"{o.Id}: {at}.env {variable}: must come from the pod label (fieldRef metadata.labels['{label}']), not {source ?? "elsewhere"}");
        }
        if (settings.ServiceId != clientServiceId)
            problems.Add($"{o.Id}: spec.template.metadata.labels.orleans/serviceId: '{settings.ServiceId}', but the client connects to service '{clientServiceId}'");
        foreach (var (jo, job) in jobs)
            foreach (var c in job.Spec.Template.Spec.Containers.Where(c => Program(c.Image) == ClientImage))
                if (c.Env?.FirstOrDefault(v => v.Name == RnnCluster.Client.ClusterTarget.ClusterIdVariable)?.Value is string id && id != settings.ClusterId)
                    problems.Add($"{jo.Id}: env {RnnCluster.Client.ClusterTarget.ClusterIdVariable}: '{id}', but the silos' cluster is '{settings.ClusterId}' (label orleans/clusterId)");

        // Ports: what the silo listens on, by name.
        int httpPort = HttpPort(env) ?? 8080;
        var expected = new Dictionary<string, (int Port, string Source)>
        {
            ["silo"] = (settings.SiloPort, $"{ClusterSettings.SiloPortKey}"),
            ["gateway"] = (settings.GatewayPort, $"{ClusterSettings.GatewayPortKey}"),
            ["http"] = (httpPort, "ASPNETCORE_HTTP_PORTS"),
        };
        var ports = container.Ports ?? [];
        foreach (var (name, (port, source)) in expected)
        {
            var declared = ports.FirstOrDefault(p => p.Name == name);
            if (declared is null) problems.Add($"{o.Id}: {at}.ports: no port named '{name}' (the silo listens on {port}, {source})");
            else if (declared.ContainerPort != port)
                problems.Add($"{o.Id}: {at}.ports[name={name}].containerPort: {declared.ContainerPort}, but the silo listens on {port} ({source})");
        }
        foreach (var p in ports.Where(p => p.Name is null || !expected.ContainsKey(p.Name)))
            problems.Add($"{o.Id}: {at}.ports[{p.Name ?? p.ContainerPort.ToString(CultureInfo.InvariantCulture)}]: the silo listens on no such port");
        int? Resolve(IntOrString? port) => port?.Value is not { } v ? null
            : int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? (ports.Any(p => p.ContainerPort == n) ? n : null)
            : ports.FirstOrDefault(p => p.Name == v)?.ContainerPort;

        foreach (var (probeName, probe) in new[] { ("startupProbe", container.StartupProbe), ("readinessProbe", container.ReadinessProbe), ("livenessProbe", container.LivenessProbe) })
        {
            if (probe?.HttpGet is not { } get) { problems.Add($"{o.Id}: {at}.{probeName}: must be an httpGet of the silo's health endpoint"); continue; }
            if (Resolve(get.Port) != httpPort) problems.Add($"{o.Id}: {at}.{probeName}.httpGet.port: {get.Port?.Value}, not the silo's http port ({httpPort})");
            if (get.Path is not ("/health" or "/health/live")) problems.Add($"{o.Id}: {at}.{probeName}.httpGet.path: {get.Path}, not /health or /health/live");
        }
        if (template.Metadata?.Annotations?.TryGetValue("prometheus.io/port", out var scrapePort) == true && scrapePort != httpPort.ToString(CultureInfo.InvariantCulture))
            problems.Add($"{o.Id}: spec.template.metadata.annotations.prometheus.io/port: {scrapePort}, not the silo's http port ({httpPort})");

        // Services selecting the silos.
        var services = objects.Where(x => x.Kind == "Service").Select(x => (x, s: StrictCheck.Load<V1Service>(x)))
            .Where(x => Selects(x.s.Spec.Selector, labels)).ToList();
        foreach (var name in new[] { "gateway", "http" })
            if (!services.Any(x => x.s.Spec.Ports.Any(p => Resolve(p.TargetPort ?? (IntOrString)p.Port.ToString(CultureInfo.InvariantCulture)) == expected[name].Port)))
                problems.Add($"{o.Id}: no Service exposes the silo's {name} port ({expected[name].Port})");
        foreach (var (so, s) in services)
            for (int i = 0; i < s.Spec.Ports.Count; i++)
            {
                var p = s.Spec.Ports[i];
                var target = p.TargetPort ?? (IntOrString)p.Port.ToString(CultureInfo.InvariantCulture);
                if (Resolve(target) is null) problems.Add($"{so.Id}: spec.ports[{i}].targetPort: {target.Value} is no port of the silo pods ({Describe(ports)})");
            }

        // ServiceMonitors: the port of a Service of the silos that reaches /metrics.
        foreach (var mo in objects.Where(x => x.Kind == "ServiceMonitor"))
        {
            var monitor = StrictCheck.Load<V1ServiceMonitor>(mo);
            var selected = objects.Where(x => x.Kind == "Service").Select(StrictCheck.Load<V1Service>)
                .Where(s => monitor.Spec?.Selector?.MatchLabels is { } match && match.All(kv => s.Metadata.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value)).ToList();
            if (selected.Count == 0) problems.Add($"{mo.Id}: spec.selector: selects no Service");
            for (int i = 0; i < (monitor.Spec?.Endpoints?.Count ?? 0); i++)
            {
                var endpoint = monitor.Spec!.Endpoints![i];
                var servicePort = selected.SelectMany(s => s.Spec.Ports).FirstOrDefault(p => p.Name == endpoint.Port);
                if (servicePort is null) problems.Add($"{mo.Id}: spec.endpoints[{i}].port: '{endpoint.Port}' is no port of the Services it selects");
                else if (Resolve(servicePort.TargetPort) != httpPort) problems.Add($"{mo.Id}: spec.endpoints[{i}].port: '{endpoint.Port}' does not reach the silo's http port ({httpPort})");
                if (endpoint.Path is not null and not "/metrics") problems.Add($"{mo.Id}: spec.endpoints[{i}].path: {endpoint.Path}, the silo serves /metrics");
            }
        }

        // The NetworkPolicy of the silos: silo port from silos, gateway from clients, http from Prometheus, nothing else.
        var policies = objects.Where(x => x.Kind == "NetworkPolicy").Select(x => (x, p: StrictCheck.Load<V1NetworkPolicy>(x)))
            .Where(x => Selects(x.p.Spec.PodSelector?.MatchLabels, labels)).ToList();
        if (policies.Count == 0) problems.Add($"{o.Id}: no NetworkPolicy selects the silo pods");
        var admitted = new Dictionary<int, List<string>>();
        foreach (var (po, policy) in policies)
            for (int r = 0; r < (policy.Spec.Ingress?.Count ?? 0); r++)
            {
                var rule = policy.Spec.Ingress![r];
                if (rule.FromProperty is not { Count: > 0 }) problems.Add($"{po.Id}: spec.ingress[{r}].from: empty, which admits every source");
                if (rule.Ports is not { Count: > 0 }) problems.Add($"{po.Id}: spec.ingress[{r}].ports: empty, which admits every port");
                string source = string.Join(" ", (rule.FromProperty ?? []).Select(f => Labels(f.PodSelector?.MatchLabels)));
                for (int i = 0; i < (rule.Ports?.Count ?? 0); i++)
                {
                    int? port = Resolve(rule.Ports![i].Port);
                    if (port is null) problems.Add($"{po.Id}: spec.ingress[{r}].ports[{i}].port: {rule.Ports[i].Port?.Value} is no port of the silo pods ({Describe(ports)})");
                    else (admitted.TryGetValue(port.Value, out var list) ? list : admitted[port.Value] = []).Add(source);
                }
            }
        var wantedSources = new Dictionary<string, string> { ["silo"] = "app.kubernetes.io/component=silo", ["gateway"] = "app.kubernetes.io/component=client", ["http"] = "app.kubernetes.io/name=prometheus" };
        if (policies.Count > 0)
            foreach (var (name, (port, _)) in expected)
            {
                if (!admitted.TryGetValue(port, out var sources)) problems.Add($"{policies[0].x.Id}: spec.ingress: admits nothing to the silo's {name} port ({port})");
                else if (sources.Any(s => !s.Contains(wantedSources[name], StringComparison.Ordinal)))
                    problems.Add($"{policies[0].x.Id}: spec.ingress: the {name} port ({port}) admits [{string.Join("; ", sources)}], expected only pods with {wantedSources[name]}");
            }

        // Resources that match the kernels' threads: whole cores, requests equal to limits.
        var requests = container.Resources?.Requests; var limits = container.Resources?.Limits;
        if (requests?.TryGetValue("cpu", out var rc) == true && limits?.TryGetValue("cpu", out var lc) == true)
        {
            decimal r = rc.ToDecimal(), l = lc.ToDecimal();
            if (r != l || l != decimal.Truncate(l) || l < 1)
                problems.Add($"{o.Id}: {at}.resources: cpu requests {rc} and limits {lc} must be equal whole cores (the runtime's processor count, one shard per core)");
        }

        // Graceful shutdown.
        long grace = template.Spec.TerminationGracePeriodSeconds ?? 30;
        if (grace <= settings.ShutdownTimeout.TotalSeconds)
            problems.Add($"{o.Id}: spec.template.spec.terminationGracePeriodSeconds: {grace}, not longer than the silo's {ClusterSettings.ShutdownTimeoutKey} ({settings.ShutdownTimeout.TotalSeconds:0} s)");

        // RBAC for Orleans' Kubernetes agent.
        string account = template.Spec.ServiceAccountName ?? "default";
        if (!objects.Any(x => x.Kind == "ServiceAccount" && x.Name == account)) problems.Add($"{o.Id}: spec.template.spec.serviceAccountName: ServiceAccount {account} is not in the render");
        if (template.Spec.AutomountServiceAccountToken == false) problems.Add($"{o.Id}: spec.template.spec.automountServiceAccountToken: false, but Orleans' Kubernetes agent needs the API");
        var bound = objects.Where(x => x.Kind == "RoleBinding").Select(StrictCheck.Load<V1RoleBinding>)
            .Where(b => b.Subjects?.Any(s => s.Kind == "ServiceAccount" && s.Name == account) == true && b.RoleRef.Kind == "Role")
            .Select(b => b.RoleRef.Name).ToHashSet();
        var verbs = objects.Where(x => x.Kind == "Role" && bound.Contains(x.Name)).Select(StrictCheck.Load<V1Role>)
            .SelectMany(role => role.Rules).Where(rule => rule.ApiGroups?.Contains("") == true && rule.Resources?.Contains("pods") == true)
            .SelectMany(rule => rule.Verbs).ToHashSet();
        foreach (var verb in new[] { "get", "watch", "list", "patch" })
            if (!verbs.Contains(verb)) problems.Add($"{o.Id}: spec.template.spec.serviceAccountName: {account} may not {verb} pods (a Role bound to it must allow get, watch, list, patch)");

        // Disruption budget and autoscaler.
        if (!objects.Where(x => x.Kind == "PodDisruptionBudget").Select(StrictCheck.Load<V1PodDisruptionBudget>).Any(p => Selects(p.Spec.Selector?.MatchLabels, labels)))
            problems.Add($"{o.Id}: no PodDisruptionBudget selects the silo pods");
        foreach (var ho in objects.Where(x => x.Kind == "HorizontalPodAutoscaler"))
        {
            var hpa = StrictCheck.Load<V2HorizontalPodAutoscaler>(ho);
            if (hpa.Spec.ScaleTargetRef.Kind != "Deployment" || hpa.Spec.ScaleTargetRef.Name != deployment.Metadata.Name)
                problems.Add($"{ho.Id}: spec.scaleTargetRef: {hpa.Spec.ScaleTargetRef.Kind}/{hpa.Spec.ScaleTargetRef.Name}, not {o.Id}");
        }
    }

    // ---------------------------------------------------------------------------------------------- secrets, dashboard

    private static void CheckSecrets(IReadOnlyList<RenderedObject> objects, bool secretsInRender, List<string> problems)
    {
        if (secretsInRender) return;
        foreach (var o in objects)
        {
            if (o.Kind == "Secret") problems.Add($"{o.Id}: a Secret in an environment that must hold no credential");
            if (o.Yaml.Contains("AccountKey=", StringComparison.OrdinalIgnoreCase) || o.Yaml.Contains("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase))
                problems.Add($"{o.Id}: holds a storage account key or signature, in an environment that must hold no credential");
        }
    }

    private static void CheckDashboard(IReadOnlyList<RenderedObject> objects, List<string> problems)
    {
        string file = File.ReadAllText(Path.Combine(Manifests.K8sFolder, "grafana", "rnncluster.json"));
        var maps = objects.Where(x => x.Kind == "ConfigMap").Select(x => (x, m: StrictCheck.Load<V1ConfigMap>(x)))
            .Where(x => x.m.Data?.ContainsKey("rnncluster.json") == true).ToList();
        if (maps.Count != 1) { problems.Add($"(render): {maps.Count} ConfigMaps hold rnncluster.json, expected 1 (generated from k8s/grafana/rnncluster.json)"); return; }
        var (o, map) = maps[0];
        if (map.Data["rnncluster.json"] != file) problems.Add($"{o.Id}: data.rnncluster.json: differs from k8s/grafana/rnncluster.json");
        // kubectl apply (client side) keeps the whole object in an annotation, at most 262,144 bytes.
        if (Encoding.UTF8.GetByteCount(file) > 200_000) problems.Add($"{o.Id}: data.rnncluster.json: {file.Length} bytes, too close to kubectl apply's 262,144-byte annotation limit");
    }

    // ---------------------------------------------------------------------------------------------- helpers

    /// <summary>Which of the project's programs an image runs ("rnncluster/silo", "rnncluster/client"), or null.</summary>
    public static string? Program(string? image)
    {
        if (image is null) return null;
        string name = image.Split('@')[0];
        int slash = name.LastIndexOf('/'), colon = name.LastIndexOf(':');
        if (colon > slash) name = name[..colon];
        foreach (var program in new[] { SiloImage, ClientImage })
            if (name == program || name.EndsWith("/" + program, StringComparison.Ordinal)) return program;
        return null;
    }

    private static bool Runs(V1PodTemplateSpec template, string program) => template.Spec.Containers.Any(c => Program(c.Image) == program);

    private static int? HttpPort(List<KeyValuePair<string, string>> env)
    {
        var value = env.LastOrDefault(v => v.Key.Equals("ASPNETCORE_HTTP_PORTS", StringComparison.OrdinalIgnoreCase)).Value;
        return int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int port) ? port : null;
    }

    private static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string> labels) =>
        selector is { Count: > 0 } && selector.All(kv => labels.TryGetValue(kv.Key, out var v) && v == kv.Value);

    private static string Labels(IDictionary<string, string>? labels) => labels is null ? "any pod" : string.Join(",", labels.Select(kv => $"{kv.Key}={kv.Value}"));

    private static string Describe(IEnumerable<V1ContainerPort> ports) => string.Join(", ", ports.Select(p => $"{p.Name} {p.ContainerPort}"));
}
