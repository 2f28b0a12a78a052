using System.Collections;
using k8s.Models;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// The silo process started as the prod Deployment starts it: the image's entry point (the Dockerfile's silo
/// ENTRYPOINT, run from the Release build) with the container's environment as the kubelet would give it (the
/// downward API resolved for a pod on 127.0.0.1, the storage Secret replaced by Azurite's connection string), minus
/// the Kubernetes API (no KUBERNETES_SERVICE_HOST). Only the three listening ports are moved to free ones, as tests
/// share the machine; every inherited variable that could configure the silo is removed first.
/// </summary>
internal sealed class DeployedSilo : ChildProcess
{
    public const string PodName = "rnncluster-silo-7d9f8b6c4-x2k4p";

    private DeployedSilo(string dll, IReadOnlyList<KeyValuePair<string, string>> environment)
        : base("dotnet", [dll], Clean().Concat(environment.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))))
    {
        Environment = environment;
    }

    public IReadOnlyList<KeyValuePair<string, string>> Environment { get; }

    public string Variable(string name) => Environment.Last(v => v.Key == name).Value;
    public int SiloPort => int.Parse(Variable("Orleans__SiloPort"));
    public int GatewayPort => int.Parse(Variable("Orleans__GatewayPort"));
    public int HttpPort => int.Parse(Variable("ASPNETCORE_HTTP_PORTS"));
    public string HealthUrl => $"http://127.0.0.1:{HttpPort}/health";
    public string MetricsUrl => $"http://127.0.0.1:{HttpPort}/metrics";

    /// <summary>The silo container's environment in the prod overlay, resolved for a pod on 127.0.0.1 with the given storage.</summary>
    public static List<KeyValuePair<string, string>> DeploymentEnvironment(string storage, out V1PodTemplateSpec template)
    {
        var deployment = Manifests.RenderObjects("overlays/prod").Single(o => o.Id == "Deployment/rnncluster-silo");
        template = StrictCheck.Load<V1Deployment>(deployment).Spec.Template;
        var container = template.Spec.Containers.Single(c => CrossCheck.Program(c.Image) == CrossCheck.SiloImage);
        var problems = new List<string>();
        var env = PodEnvironment.Resolve(template, container, new PodEnvironment.Pod(PodName, deployment.Namespace!, "127.0.0.1"),
            (name, key) => name == CrossCheck.StorageSecret && key == "connection-string" ? storage : null, problems, deployment.Id);
        Assert.Empty(problems);
        return env;
    }

    /// <summary>
    /// <paramref name="environment"/> with the silo, gateway and HTTP ports moved to free ones (each must be set by the
    /// Deployment: a port the silo took from a default would not be moved, and could collide).
    /// </summary>
    public static List<KeyValuePair<string, string>> OnFreePorts(List<KeyValuePair<string, string>> environment)
    {
        var moved = environment.ToList();
        foreach (var name in new[] { "Orleans__SiloPort", "Orleans__GatewayPort", "ASPNETCORE_HTTP_PORTS" })
        {
            int index = moved.FindIndex(v => v.Key == name);
            Assert.True(index >= 0, $"the Deployment does not set {name}");
            moved[index] = new(name, FreePort().ToString());
        }
        return moved;
    }

    public static DeployedSilo Start(IReadOnlyList<KeyValuePair<string, string>> environment) => new(EntryPoint(), environment);

    /// <summary>The dll of the Dockerfile's silo ENTRYPOINT ["dotnet", "X.dll"], in the Release build.</summary>
    public static string EntryPoint() => Repository.ReleaseDll("Silo", Dockerfile.Read().EntryPointDll(Dockerfile.SiloTarget));

    public Task WaitHealthyAsync(TimeSpan timeout) => WaitForAsync($"the deployed silo (pod {PodName})", HealthUrl, "ok", timeout);

    // Inherited variables that would configure the silo beside the Deployment's.
    private static IEnumerable<KeyValuePair<string, string?>> Clean()
    {
        foreach (DictionaryEntry e in System.Environment.GetEnvironmentVariables())
        {
            string name = (string)e.Key;
            if (name.StartsWith("Orleans__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("RnnCluster__", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase) || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith("DOTNET_URLS", StringComparison.OrdinalIgnoreCase) || name.StartsWith("POD_", StringComparison.Ordinal)
                || name.StartsWith("ORLEANS_", StringComparison.Ordinal) || name.StartsWith("KUBERNETES_", StringComparison.Ordinal)
                || name.StartsWith("RNNCLUSTER_", StringComparison.Ordinal))
                yield return new(name, null);
        }
    }
}

/// <summary>The client process started as the sweep Job starts it (the image's entry point, the Job's environment), with other arguments.</summary>
internal sealed class JobClient : ChildProcess
{
    private JobClient(IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>> environment) : base("dotnet", arguments, environment)
    {
    }

    /// <summary>Runs the client with the sweep Job's environment (its storage Secret replaced by <paramref name="storage"/>) and <paramref name="arguments"/>.</summary>
    public static JobClient Start(string storage, params string[] arguments)
    {
        var job = Manifests.RenderObjects("overlays/prod/sweep").Single(o => o.Kind == "Job");
        var template = StrictCheck.Load<V1Job>(job).Spec.Template;
        var container = template.Spec.Containers.Single(c => CrossCheck.Program(c.Image) == CrossCheck.ClientImage);
        var problems = new List<string>();
        var env = PodEnvironment.Resolve(template, container, new PodEnvironment.Pod("rnncluster-sweep-abcde", job.Namespace!, "127.0.0.2"),
            (name, key) => name == CrossCheck.StorageSecret && key == "connection-string" ? storage : null, problems, job.Id);
        Assert.Empty(problems);
        string dll = Repository.ReleaseDll("Client", Dockerfile.Read().EntryPointDll(Dockerfile.ClientTarget));
        var inherited = System.Environment.GetEnvironmentVariables().Keys.Cast<string>()
            .Where(n => n.StartsWith("RNNCLUSTER_", StringComparison.Ordinal) || n.StartsWith("ConnectionStrings__", StringComparison.OrdinalIgnoreCase))
            .Select(n => new KeyValuePair<string, string?>(n, null));
        return new JobClient([dll, .. arguments], inherited.Concat(env.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))));
    }
}
