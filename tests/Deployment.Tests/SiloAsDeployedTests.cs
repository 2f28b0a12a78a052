using System.Text.Json;
using Azure.Data.Tables;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// The silo started as the prod Deployment starts it (<see cref="DeployedSilo"/>: its entry point and environment,
/// without the Kubernetes API) against Azurite on loopback, and the client as the sweep Job starts it.
/// </summary>
public sealed class SiloAsDeployedTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Started_as_deployed_the_silo_joins_serves_health_and_metrics_trains_a_clients_job_and_stops_gracefully()
    {
        using var azurite = AzuriteProcess.StartInMemory();
        var env = DeployedSilo.OnFreePorts(DeployedSilo.DeploymentEnvironment(azurite.ConnectionString, out var template));
        Assert.Contains(new KeyValuePair<string, string>("RnnCluster__Hosting", "Kubernetes"), env);
        string clusterId = template.Metadata.Labels["orleans/clusterId"];
        using var silo = DeployedSilo.Start(env);
        await silo.WaitHealthyAsync(StartTimeout);

        // Joined the cluster as the pod: its membership row is named after the pod, at the pod's IP and silo port.
        var row = Membership(azurite.ConnectionString, clusterId);
        Assert.True(row is not null, $"no membership row for silo {DeployedSilo.PodName}:\n{silo.Log}");
        Assert.Equal("127.0.0.1", row!.GetString("Address"));
        Assert.Equal(silo.SiloPort.ToString(), row.GetString("Port"));
        Assert.Equal("Active", row.GetString("Status"));
        Assert.Contains($"Kubernetes hosting: pod {DeployedSilo.PodName} in namespace rnncluster", silo.Log);
        Assert.Contains("No Kubernetes API (KUBERNETES_SERVICE_HOST is not set)", silo.Log);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        Assert.Equal("ok", await http.GetStringAsync($"http://127.0.0.1:{silo.HttpPort}/health/live"));
        Assert.Contains("orleans_", await http.GetStringAsync(silo.MetricsUrl));

        // A job submitted by the client with the sweep Job's environment (the cluster found through storage).
        using var client = JobClient.Start(azurite.ConnectionString, "train", "--model", "deep-rnn", "--epochs", "2", "--shards", "2", "--job-id", "k8s-deep-rnn", "--json");
        Assert.True(client.WaitForExit(TimeSpan.FromMinutes(3)), $"the client did not finish within 3 minutes:\n{client.Log}\n--- silo ---\n{silo.Log}");
        Assert.True(client.ExitCode == 0, $"client exit code {client.ExitCode}:\n{client.Log}\n--- silo ---\n{silo.Log}");
        string json = client.Log[client.Log.IndexOf('{')..(client.Log.LastIndexOf('}') + 1)];
        using var result = JsonDocument.Parse(json);
        Assert.Equal("k8s-deep-rnn", result.RootElement.GetProperty("job").GetString());
        Assert.Equal(2, result.RootElement.GetProperty("history").GetArrayLength());
        Assert.All(result.RootElement.GetProperty("shard_silos").EnumerateArray(), s => Assert.Contains($"127.0.0.1:{silo.SiloPort}:", s.GetString()));
        string metrics = await http.GetStringAsync(silo.MetricsUrl);
        Assert.Contains("rnncluster_training_samples_total", metrics);

        // SIGTERM, as the kubelet stops a pod: the silo leaves the cluster in order, well within the grace period.
        var stopping = System.Diagnostics.Stopwatch.StartNew();
        silo.Terminate(TimeSpan.FromSeconds(100));
        Assert.True(silo.HasExited);
        Assert.True(silo.ExitCode == 0, $"exit code {silo.ExitCode} after SIGTERM:\n{silo.Log}");
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds((double)template.Spec.TerminationGracePeriodSeconds!), $"stopping took {stopping.Elapsed}");
        Assert.Equal("Dead", Membership(azurite.ConnectionString, clusterId)!.GetString("Status"));
    }

    [Theory]
    [InlineData("POD_NAME")]
    [InlineData("POD_NAMESPACE")]
    [InlineData("POD_IP")]
    [InlineData("ORLEANS_SERVICE_ID")]
    [InlineData("ORLEANS_CLUSTER_ID")]
    [InlineData("ConnectionStrings__AzureStorage")]
    public void Started_without_a_required_value_the_silo_fails_fast_with_one_line_naming_it(string variable)
    {
        var env = DeployedSilo.OnFreePorts(DeployedSilo.DeploymentEnvironment(Unreachable, out _));
        Assert.Equal(1, env.RemoveAll(v => v.Key == variable));
        AssertFailsFast(env, variable, "is not set");
    }

    [Fact]
    public void Started_with_a_malformed_pod_IP_the_silo_fails_fast_with_one_line_naming_it()
    {
        var env = DeployedSilo.OnFreePorts(DeployedSilo.DeploymentEnvironment(Unreachable, out _));
        int index = env.FindIndex(v => v.Key == "POD_IP");
        env[index] = new("POD_IP", "not-an-ip");
        AssertFailsFast(env, "POD_IP", "is 'not-an-ip', not an IP address");
    }

    // A storage the failing silo never reaches: it must fail on the missing value before it tries.
    private const string Unreachable = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    private static void AssertFailsFast(List<KeyValuePair<string, string>> env, string variable, string says)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var silo = DeployedSilo.Start(env);
        Assert.True(silo.WaitForExit(TimeSpan.FromSeconds(30)), $"still running after 30 s:\n{silo.Log}");
        Assert.True(silo.ExitCode == 2, $"exit code {silo.ExitCode}:\n{silo.Log}");
        var lines = silo.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}:\n{silo.Log}");
        Assert.StartsWith("error: RnnCluster:Hosting is Kubernetes, but ", lines[0]);
        Assert.Contains(variable, lines[0]);
        Assert.Contains(says, lines[0]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"took {clock.Elapsed} to fail");
    }

    private static TableEntity? Membership(string storage, string clusterId)
    {
        var table = new TableClient(storage, "OrleansSiloInstances");
        return table.Query<TableEntity>().Where(e => e.GetString("SiloName") == DeployedSilo.PodName)
            .Where(e => (e.GetString("DeploymentId") ?? e.PartitionKey).Contains(clusterId, StringComparison.Ordinal))
            .OrderByDescending(e => e.GetString("StartTime")).FirstOrDefault();
    }
}
