using System.Diagnostics;

namespace RnnCluster.Cluster.Tests;

/// <summary>
/// A silo that hangs (SIGSTOP: its sockets stay open and the kernel still accepts connections for it, but it answers
/// nothing, as a process stuck or a node cut off) while users run commands through storage. A client whose gateway is
/// the hung silo's, or whose grain is on it, gets no answer and no error from Orleans until its response timeout; the
/// commands must answer anyway, through the other silo. And a hung silo that comes back after its job moved changes no bit.
/// </summary>
[Trait("Category", "Faults")]
public sealed class HungSiloTests(ITestOutputHelper output) : AzuriteTests(output)
{
    // Before: a command whose call went to the hung silo exited 3 after 32 s, "Response did not arrive on time in
    // 00:00:30" (6 of 8); one whose client asked the hung silo's gateway for the cluster's manifest, after its 15 s start.
    [Fact]
    public async Task Commands_through_storage_answer_while_one_silo_of_two_hangs()
    {
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(2);
        // the most epochs a job may have: still running when the cancel lands (a 30-epoch job once completed first)
        var started = await cluster.StartJobAsync("hung-silo", ChapterJobs.Spec("deep-rnn", epochs: 1000, shards: 2));
        string id = started.JobId;
        // the job's own silo: a status must wait for the cluster to declare it dead and the job to move
        var hung = cluster.Alive.Single(p => p.Holds(started.CoordinatorSilo));
        await cluster.DisconnectAsync();   // the test's own client is not what is tested

        hung.Pause();
        var clock = Stopwatch.StartNew();
        // nine users at once (the hung silo is an active member for some seconds yet, so about half of them pick its
        // gateway): four list the jobs, four ask the job's status, and one cancels it
        var results = await AtOnceAsync(cluster, Enumerable.Range(0, 9).Select(i => i == 8 ? ["cancel", id] : i % 2 == 0 ? ["jobs"] : new[] { "status", id }));
        Output.WriteLine($"all answered {clock.Elapsed.TotalSeconds:0.0} s after the silo hung");

        Assert.All(results, r => Assert.True(r.Run.ExitCode == 0, $"{r.Command} exited {r.Run.ExitCode} after {r.Seconds:0.0} s: {r.Run.Error}\n{r.Run.Output}"));
        Assert.All(results.Where(r => r.Command == "jobs"), r => Assert.Contains(id, r.Run.Output));
        Assert.All(results.Where(r => r.Command.StartsWith("status")), r => Assert.StartsWith($"job:          {id}", r.Run.Output));
        var cancel = results.Single(r => r.Command.StartsWith("cancel")).Run;
        Assert.True(cancel.Output.StartsWith($"{id}: cancel requested", StringComparison.Ordinal), $"cancel printed: {cancel.Output}{cancel.Error}");
        Assert.False(cluster.Alive.Single(p => p != hung).HasExited);
        await cluster.ConnectAsync();
        var ended = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(1), "the cancelled job's end");
        Assert.True(ended.State == JobState.Cancelled, DurableCluster.Describe(ended));
    }

    // A silo stopped long enough to be declared dead (a long GC pause, a frozen VM) comes back with its job's coordinator
    // in the middle of a step and a checkpoint perhaps in flight, while the job trains on elsewhere.
    [Fact]
    public async Task A_coordinator_that_hangs_then_comes_back_after_its_job_moved_changes_no_bit()
    {
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(2);
        var spec = ChapterJobs.Spec("deep-rnn", epochs: 4, shards: 2);
        string expected = ChapterJobs.UninterruptedHash(spec);
        string id = (await cluster.StartJobAsync("hung-coordinator", spec)).JobId;
        var before = await cluster.WaitAsync(id, s => s.Step >= 219 + 50, TimeSpan.FromMinutes(2), "the second epoch");
        var hung = cluster.Alive.Single(p => p.Holds(before.CoordinatorSilo));

        hung.Pause();
        var clock = Stopwatch.StartNew();
        var moved = await cluster.WaitAsync(id, s => !hung.Holds(s.CoordinatorSilo) && s.Step > before.Step + 20, TimeSpan.FromMinutes(2),
            "the job training on without the hung silo");
        Output.WriteLine($"coordinator's silo hung at step {before.Step}; the job trained on elsewhere {clock.Elapsed.TotalSeconds:0.0} s later (step {moved.Step})");
        hung.Continue();
        // declared dead meanwhile, it finds so in the membership table and stops itself (Orleans: a fatal error)
        Assert.True(hung.WaitForExit(TimeSpan.FromMinutes(1)), "the silo that hung ran on after it was declared dead:\n" + hung.Log);
        Output.WriteLine($"the silo that hung exited with code {hung.ExitCode} once it ran again");

        var finished = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(4), "the end of the job");
        Assert.True(finished.State == JobState.Completed, DurableCluster.Describe(finished) + "\n" + cluster.Logs());
        Assert.Equal(expected, finished.WeightsHash);
        Assert.Equal(4L * 219, finished.Step);

        // Storage holds the end, not an older state the hung coordinator wrote when it ran again: with the survivor
        // killed, a new silo's coordinator reads the record and the checkpoint.
        var survivor = cluster.Alive.Single();
        var fresh = cluster.StartSilo();
        await fresh.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        survivor.Kill();
        var reread = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(2), "the job's record read by a new coordinator");
        Assert.True(reread.State == JobState.Completed, DurableCluster.Describe(reread));
        Assert.Equal(expected, reread.WeightsHash);
        Assert.Equal(4, reread.History.Length);
        var export = await cluster.Client.GetGrain<ITrainingJobGrain>(id).Export();
        Assert.Null(export.Error);
        Assert.True(export.Final);
        Assert.Equal(4L * 219, export.Step);
        Assert.Equal(expected, RnnCluster.Numerics.Training.WeightsHash.Of(export.Model!.Weights.Value));
    }

    // Before: a start that the cluster placed on the hung silo (still a member for some seconds) got no answer, and the
    // command exited 3 after 31 s (3 of 6); the cluster had a silo to train on. (Just after a kill they all started.)
    [Fact]
    public async Task Jobs_submitted_through_storage_while_a_silo_hangs_all_start()
    {
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(2);
        await cluster.DisconnectAsync();   // the test's own client is not what is tested
        cluster.Silos[0].Pause();

        // six users at once, each submitting a job (and its linear baseline) while the hung silo is still a member
        var results = await AtOnceAsync(cluster, Enumerable.Range(1, 6).Select(seed => new[] { "train", "--model", "deep-rnn", "--epochs", "1", "--no-wait", "--seed", $"{seed}" }));

        Assert.All(results, r => Assert.True(r.Run.ExitCode == 0, $"exit {r.Run.ExitCode} after {r.Seconds:0.0} s: {r.Run.Error}"));
        var ids = results.SelectMany(r => r.Run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToArray();
        await cluster.ConnectAsync();
        foreach (string id in ids)
        {
            var status = await cluster.StatusAsync(id, TimeSpan.FromSeconds(60));
            Assert.True(status is { State: not JobState.Unknown }, $"job {id}: {DurableCluster.Describe(status)}");
        }
        Assert.Equal(12, ids.Length);
    }

    // Before: exit 3 after 20 s, "no active gateway answered within 20 s": the client's start asked the hung silo for
    // the cluster's manifest and gave up (one of the nine commands above, in one CI run, whose start met the hung silo twice).
    [Fact]
    public async Task A_command_whose_client_starts_while_the_only_silo_hangs_answers_once_it_comes_back()
    {
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(1);
        await cluster.DisconnectAsync();   // the test's own client is not what is tested
        var silo = cluster.Silos[0];

        silo.Pause();
        var clock = Stopwatch.StartNew();
        var jobs = Task.Run(() => CliRun.Of("jobs", "--storage", Storage, "--cluster-id", cluster.ClusterId)).ContinueWith(run => (Run: run.Result, clock.Elapsed));
        // longer than one start of the client may take, shorter than a command retries for
        await Task.Delay(RnnCluster.Client.ClusterConnection.StartTimeout + TimeSpan.FromSeconds(5));
        silo.Continue();
        var (run, took) = await jobs.WaitAsync(TimeSpan.FromMinutes(2));
        Output.WriteLine($"jobs: exit {run.ExitCode} after {took.TotalSeconds:0.0} s; stderr: {run.Error.Trim()}");

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
        Assert.StartsWith("job ", run.Output);
        Assert.Single(run.ErrorLines);
        Assert.Matches(@"^cluster unavailable \(no active gateway answered within 20 s\), retrying", run.Error);
        Assert.False(silo.HasExited);
    }

    // Runs the commands at once, each a user with a client of its own that finds the cluster's gateways in storage; says
    // how each ended and how long it took.
    private async Task<(string Command, CliRun Run, double Seconds)[]> AtOnceAsync(DurableCluster cluster, IEnumerable<string[]> commands)
    {
        var results = await Task.WhenAll(commands.Select(command => Task.Run(() =>
        {
            var took = Stopwatch.StartNew();
            var run = CliRun.Of([.. command, "--storage", Storage, "--cluster-id", cluster.ClusterId]);
            return (Command: string.Join(' ', command), Run: run, Seconds: took.Elapsed.TotalSeconds);
        }))).WaitAsync(TimeSpan.FromMinutes(4));
        foreach (var (command, run, seconds) in results)
            Output.WriteLine($"{command}: exit {run.ExitCode} after {seconds:0.0} s; {run.Output.Trim().Replace('\n', '|')}; stderr: {run.Error.Trim().Replace('\n', '|')}");
        return results;
    }
}
