using System.Diagnostics;

namespace RnnCluster.Cluster.Tests;

/// <summary>
/// A silo that hangs (SIGSTOP: its sockets stay open and the kernel still accepts connections for it, but it answers
/// nothing, as a process stuck or a node cut off) while users run commands through storage. A client whose gateway is
/// the hung silo's, or whose grain is on it, gets no answer and no error from Orleans until its response timeout; the
/// commands must answer anyway, through the other silo.
/// </summary>
[Trait("Category", "Faults")]
public sealed class HungSiloTests(ITestOutputHelper output) : AzuriteTests(output)
{
    // Before: a command whose call went to the hung silo exited 3 after 32 s, "Response did not arrive on time in
    // 00:00:30"; one whose client asked the hung silo's gateway for the cluster's manifest, after its 15 s start.
    [Fact]
    public async Task Commands_through_storage_answer_while_one_silo_of_two_hangs()
    {
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(2);
        string id = ChapterJobs.NewId("hung-silo");
        var started = await cluster.Client.GetGrain<ITrainingJobGrain>(id).Start(ChapterJobs.Spec("deep-rnn", epochs: 3, shards: 2));
        Assert.True(started.State == JobState.Running, DurableCluster.Describe(started));
        // the job's own silo: a status must wait for the cluster to declare it dead and the job to move
        var hung = cluster.Alive.Single(p => p.Holds(started.CoordinatorSilo));
        await cluster.DisconnectAsync();   // the test's own client is not what is tested

        hung.Pause();
        var clock = Stopwatch.StartNew();
        // eight users at once, each with a client of its own that finds the gateways in storage: the hung silo is an
        // active member for some seconds yet, so about half of them pick its gateway
        string[] where = ["--storage", Storage, "--cluster-id", cluster.ClusterId];
        var runs = Enumerable.Range(0, 8).Select(i => Task.Run(() =>
        {
            string[] command = i % 2 == 0 ? ["jobs", .. where] : ["status", id, .. where];
            var (stdout, stderr) = (new StringWriter(), new StringWriter());
            var took = Stopwatch.StartNew();
            int code = RnnCluster.Client.Cli.Run(command, stdout, stderr);
            return (command: string.Join(' ', command[..^4]), code, stdout: stdout.ToString(), stderr: stderr.ToString(), seconds: took.Elapsed.TotalSeconds);
        })).ToArray();
        var results = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromMinutes(4));
        foreach (var r in results)
            Output.WriteLine($"{r.command}: exit {r.code} after {r.seconds:0.0} s; stderr: {r.stderr.Trim()}");
        Output.WriteLine($"all answered {clock.Elapsed.TotalSeconds:0.0} s after the silo hung");

        Assert.All(results, r => Assert.True(r.code == 0, $"{r.command} exited {r.code} after {r.seconds:0.0} s: {r.stderr}\n{r.stdout}"));
        Assert.All(results.Where(r => r.command == "jobs"), r => Assert.Contains(id, r.stdout));
        Assert.All(results.Where(r => r.command.StartsWith("status")), r => Assert.StartsWith($"job:          {id}", r.stdout));
        Assert.False(cluster.Alive.Single(p => p != hung).HasExited);
    }
}
