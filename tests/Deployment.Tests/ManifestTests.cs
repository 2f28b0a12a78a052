using k8s;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// The overlays users apply, rendered offline by <c>kubectl kustomize</c>, strictly valid against the Kubernetes
/// API's types and agreeing with the code and with each other (<see cref="StrictCheck"/>, <see cref="CrossCheck"/>).
/// </summary>
public sealed class ManifestTests
{
    [Theory]
    [InlineData("overlays/dev")]
    [InlineData("overlays/dev/sweep")]
    [InlineData("overlays/prod")]
    [InlineData("overlays/prod/sweep")]
    public void Every_rendered_object_is_strictly_valid(string folder)
    {
        var objects = Manifests.RenderObjects(folder);
        Assert.NotEmpty(objects);
        var problems = StrictCheck.Problems(objects).ToList();
        Assert.True(problems.Count == 0, $"{folder}:\n{string.Join("\n", problems)}");
    }

    [Theory]
    [InlineData("overlays/dev", true)]
    [InlineData("overlays/prod", false)]
    public void Each_environment_agrees_with_the_code_and_with_itself(string overlay, bool secretsInRender)
    {
        var objects = Environment(overlay);
        var problems = CrossCheck.Problems(objects, secretsInRender);
        Assert.True(problems.Count == 0, $"{overlay}:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void The_overlays_hold_what_the_issue_lists_and_prod_holds_no_credential()
    {
        var dev = Environment("overlays/dev");
        var prod = Environment("overlays/prod");
        string[] both = ["Namespace", "ServiceAccount", "Role", "RoleBinding", "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler",
            "NetworkPolicy", "ServiceMonitor", "ConfigMap", "Job"];
        foreach (var kind in both)
        {
            Assert.Contains(dev, o => o.Kind == kind);
            Assert.Contains(prod, o => o.Kind == kind);
        }
        Assert.Contains(dev, o => o.Kind == "PersistentVolumeClaim");
        Assert.Contains(dev, o => o.Kind == "Deployment" && o.Name == "azurite");
        Assert.Contains(dev, o => o.Kind == "Secret" && o.Name == CrossCheck.StorageSecret);
        Assert.DoesNotContain(prod, o => o.Kind is "Secret" or "PersistentVolumeClaim");
        Assert.DoesNotContain(prod, o => o.Yaml.Contains("AccountKey", StringComparison.OrdinalIgnoreCase));
        // every object in its environment's namespace
        Assert.All(dev.Where(o => o.Kind != "Namespace"), o => Assert.Equal("rnncluster-dev", o.Namespace));
        Assert.All(prod.Where(o => o.Kind != "Namespace"), o => Assert.Equal("rnncluster", o.Namespace));
    }

    // ------------------------------------------------------------------------------------------- broken copies

    [Theory]
    [InlineData("base/silo-deployment.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].securityContext.readOnlyRootFileSystem: unknown field")]
    [InlineData("base/silo-services.yaml", "  selector:\n", "  selectr:\n", "Service/rnncluster-gateway: spec.selectr: unknown field")]
    [InlineData("base/servicemonitor.yaml", "      path: /metrics", "      pathh: /metrics", "ServiceMonitor/rnncluster-silo: spec.endpoints[0].pathh: unknown field")]
    [InlineData("base/silo-deployment.yaml", "replicas: 2", "replicas: two", "Deployment/rnncluster-silo: spec.replicas: 'two' is not a integer")]
    public void A_misspelled_field_is_caught_naming_the_object_and_the_field(string file, string from, string to, string expected)
    {
        using var copy = new K8sCopy();
        copy.Edit(file, from, to);
        var objects = Manifests.RenderObjects("overlays/prod", copy.Folder);
        var problems = StrictCheck.Problems(objects).ToList();
        Assert.True(problems.Any(p => p.StartsWith(expected, StringComparison.Ordinal)), $"expected '{expected}...' among:\n{string.Join("\n", problems)}");
    }

    [Fact]
    public void KubernetesClients_strict_loader_itself_rejects_a_misspelled_field_that_the_lenient_one_lets_through()
    {
        using var copy = new K8sCopy();
        copy.Edit("base/silo-deployment.yaml", "readOnlyRootFilesystem: true", "readOnlyRootFileSystem: true");
        var deployment = Manifests.RenderObjects("overlays/prod", copy.Folder).Single(o => o.Id == "Deployment/rnncluster-silo");
        var types = new Dictionary<string, Type>(StrictCheck.Types);
        Assert.Single(KubernetesYaml.LoadAllFromString(deployment.Yaml, types, strict: false));
        var e = Assert.ThrowsAny<Exception>(() => KubernetesYaml.LoadAllFromString(deployment.Yaml, types, strict: true));
        Assert.Contains("readOnlyRootFileSystem", e.Message + e.InnerException?.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("base/silo-deployment.yaml", "            - name: RnnCluster__ShutdownTimeout\n",
        "            - name: RnnCluster__Jobs__CheckpointIntervall\n              value: \"00:00:30\"\n            - name: RnnCluster__ShutdownTimeout\n",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].env[10] RnnCluster__Jobs__CheckpointIntervall: the silo reads no such key")]
    [InlineData("base/silo-deployment.yaml", "            - name: RnnCluster__ShutdownTimeout\n",
        "            - name: Orleans__SiloPrt\n              value: \"11111\"\n            - name: RnnCluster__ShutdownTimeout\n",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].env[10] Orleans__SiloPrt: the silo reads no such key")]
    [InlineData("sweep/job.yaml", "            - name: RNNCLUSTER_CLUSTER_ID\n",
        "            - name: RNNCLUSTER_GATEWAYS\n              value: \"10.0.0.1:30000\"\n            - name: RNNCLUSTER_CLUSTER_ID\n",
        "Job/rnncluster-sweep: spec.template.spec.containers[0].env[1] RNNCLUSTER_GATEWAYS: the client reads no such key")]
    [InlineData("base/silo-deployment.yaml", "value: \"00:01:30\"", "value: \"ninety seconds\"",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].env: the silo refuses its configuration: RnnCluster:ShutdownTimeout is 'ninety seconds'")]
    public void An_unknown_or_malformed_configuration_key_is_caught_naming_the_object_and_the_variable(string file, string from, string to, string expected) =>
        AssertCrossCheckCatches(file, from, to, expected);

    [Theory]
    [InlineData("base/silo-services.yaml", "targetPort: gateway", "targetPort: gatway",
        "Service/rnncluster-gateway: spec.ports[0].targetPort: gatway is no port of the silo pods")]
    [InlineData("base/networkpolicy.yaml", "port: 30000", "port: 30001",
        "NetworkPolicy/rnncluster-silo: spec.ingress[1].ports[0].port: 30001 is no port of the silo pods")]
    [InlineData("base/silo-deployment.yaml", "value: \"30000\"", "value: \"30001\"",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].ports[name=gateway].containerPort: 30000, but the silo listens on 30001")]
    [InlineData("base/silo-deployment.yaml", "containerPort: 8080", "containerPort: 8081",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].ports[name=http].containerPort: 8081, but the silo listens on 8080")]
    [InlineData("base/silo-deployment.yaml", "path: /health/live\n              port: http", "path: /health/live\n              port: 8081",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].livenessProbe.httpGet.port: 8081, not the silo's http port (8080)")]
    [InlineData("base/silo-deployment.yaml", "prometheus.io/port: \"8080\"", "prometheus.io/port: \"9090\"",
        "Deployment/rnncluster-silo: spec.template.metadata.annotations.prometheus.io/port: 9090, not the silo's http port (8080)")]
    public void A_port_mismatch_is_caught_naming_the_object_and_the_field(string file, string from, string to, string expected) =>
        AssertCrossCheckCatches(file, from, to, expected);

    [Theory]
    [InlineData("base/silo-deployment.yaml", "allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation: must be false")]
    [InlineData("base/silo-deployment.yaml", "terminationGracePeriodSeconds: 120", "terminationGracePeriodSeconds: 60",
        "Deployment/rnncluster-silo: spec.template.spec.terminationGracePeriodSeconds: 60, not longer than the silo's RnnCluster:ShutdownTimeout (90 s)")]
    [InlineData("base/rbac.yaml", "verbs: [\"get\", \"watch\", \"list\", \"patch\"]", "verbs: [\"get\", \"watch\", \"list\"]",
        "Deployment/rnncluster-silo: spec.template.spec.serviceAccountName: rnncluster-silo may not patch pods")]
    [InlineData("sweep/job.yaml", "value: rnncluster", "value: rnncluster2",
        "Job/rnncluster-sweep: env RNNCLUSTER_CLUSTER_ID: 'rnncluster2', but the silos' cluster is 'rnncluster'")]
    [InlineData("base/silo-deployment.yaml", "cpu: \"2\"\n              memory: 2Gi\n            limits", "cpu: 1500m\n              memory: 2Gi\n            limits",
        "Deployment/rnncluster-silo: spec.template.spec.containers[0].resources: cpu requests 1500m and limits 2 must be equal whole cores")]
    public void Other_disagreements_are_caught_naming_the_object_and_the_field(string file, string from, string to, string expected) =>
        AssertCrossCheckCatches(file, from, to, expected);

    [Fact]
    public void A_credential_in_prod_is_caught()
    {
        using var copy = new K8sCopy();
        File.WriteAllText(Path.Combine(copy.Folder, "overlays", "prod", "secret.yaml"),
            "apiVersion: v1\nkind: Secret\nmetadata:\n  name: rnncluster-storage\nstringData:\n  connection-string: \"AccountName=a;AccountKey=c2VjcmV0\"\n");
        copy.Edit("overlays/prod/kustomization.yaml", "  - namespace.yaml\n", "  - namespace.yaml\n  - secret.yaml\n");
        var problems = CrossCheck.Problems(Manifests.RenderObjects("overlays/prod", copy.Folder).Concat(Manifests.RenderObjects("overlays/prod/sweep", copy.Folder)).ToList(), secretsInRender: false);
        Assert.Contains("Secret/rnncluster-storage: a Secret in an environment that must hold no credential", problems);
        Assert.Contains("Secret/rnncluster-storage: holds a storage account key or signature, in an environment that must hold no credential", problems);
    }

    private static void AssertCrossCheckCatches(string file, string from, string to, string expected)
    {
        using var copy = new K8sCopy();
        copy.Edit(file, from, to);
        var objects = Manifests.RenderObjects("overlays/prod", copy.Folder).Concat(Manifests.RenderObjects("overlays/prod/sweep", copy.Folder)).ToList();
        Assert.Empty(StrictCheck.Problems(objects));
        var problems = CrossCheck.Problems(objects, secretsInRender: false);
        Assert.True(problems.Any(p => p.StartsWith(expected, StringComparison.Ordinal)), $"expected '{expected}...' among:\n{string.Join("\n", problems)}");
    }

    private static List<RenderedObject> Environment(string overlay) =>
        [.. Manifests.RenderObjects(overlay), .. Manifests.RenderObjects(overlay + "/sweep")];
}

/// <summary>A copy of the repository's k8s folder in a temporary folder, to break on purpose; deleted on dispose.</summary>
internal sealed class K8sCopy : IDisposable
{
    public K8sCopy()
    {
        Folder = Path.Combine(Path.GetTempPath(), $"rnncluster-k8s-{Guid.NewGuid():N}");
        foreach (var file in Directory.EnumerateFiles(Manifests.K8sFolder, "*", SearchOption.AllDirectories))
        {
            string target = Path.Combine(Folder, Path.GetRelativePath(Manifests.K8sFolder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    public string Folder { get; }

    /// <summary>Replaces the first occurrence of <paramref name="from"/> in the file; fails when there is none.</summary>
    public void Edit(string file, string from, string to)
    {
        string path = Path.Combine(Folder, file);
        string text = File.ReadAllText(path);
        int at = text.IndexOf(from, StringComparison.Ordinal);
        if (at < 0) throw new InvalidOperationException($"'{from}' is not in {file}");
        File.WriteAllText(path, text[..at] + to + text[(at + from.Length)..]);
    }

    public void Dispose()
    {
        try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
