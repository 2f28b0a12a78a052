namespace RnnCluster.Cluster.Tests;

/// <summary>
/// A cluster named through storage that has no silo to answer: a cluster id no silo ever joined (a typo), or one whose
/// silos were all killed (they stay "Active" in the membership table, as nobody is left to declare them dead). The
/// command says so in one line within seconds, exit code 3, instead of waiting for the client's start to time out.
/// </summary>
[Trait("Category", "Faults")]
public sealed class UnreachableStorageClusterTests(ITestOutputHelper output) : AzuriteTests(output)
{
    // Before: "no active gateway answered within 20 s" after 20 s (40 s once the start was retried).
    [Fact]
    public void A_cluster_id_no_silo_joined_is_one_line_and_exit_code_3_within_seconds()
    {
        string clusterId = $"nobody-{Guid.NewGuid():N}"[..20];
        var (run, took) = Timed("jobs", "--storage", Storage, "--cluster-id", clusterId);

        AssertUnreachable(run, took, clusterId, "(no active gateway in its membership table)");
    }

    [Fact]
    public async Task A_cluster_whose_silos_were_all_killed_is_one_line_and_exit_code_3_within_seconds()
    {
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(2);
        await cluster.DisconnectAsync();
        foreach (var silo in cluster.Silos) silo.Kill();
        var (run, took) = Timed("status", "some-job", "--storage", Storage, "--cluster-id", cluster.ClusterId);

        AssertUnreachable(run, took, cluster.ClusterId, "(none of the 2 active gateways in its membership table accepts connections: 127.0.0.1:");
        Assert.Contains("connection refused", run.Error);
    }

    private (CliRun Run, TimeSpan Took) Timed(params string[] command)
    {
        var (run, took) = CliRun.Timed(command);
        Output.WriteLine($"{command[0]}: exit {run.ExitCode} after {took.TotalSeconds:0.0} s; {run.Error.Trim()}");
        return (run, took);
    }

    private static void AssertUnreachable(CliRun run, TimeSpan took, string clusterId, string reason)
    {
        run.AssertUnavailable(took, $"error: cannot reach the cluster '{clusterId}' through storage at http://127.0.0.1:", "--cluster-id");
        Assert.Contains(reason, run.Error);
        Assert.Equal("", run.Output);
    }
}
