using System.Diagnostics;

namespace RnnCluster.Cluster.Tests;

/// <summary>
/// Real silo processes on Azure Table membership and Blob storage (Azurite), killed with SIGKILL while a job trains:
/// the job goes on by itself and ends with bitwise the weights of an uninterrupted run with the same seed.
/// </summary>
[Trait("Category", "Faults")]
public sealed class SiloLossTests(ITestOutputHelper output) : AzuriteTests(output)
{
    [Fact]
    public async Task Killing_the_coordinators_silo_then_a_shards_silo_ends_with_the_uninterrupted_weights()
    {
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(3);
        var spec = ChapterJobs.Spec("deep-rnn", epochs: 6, shards: 4);
        string expected = ChapterJobs.UninterruptedHash(spec);
        string id = (await cluster.StartJobAsync("silo-loss", spec)).JobId;
        // a user's `rnncluster watch`, finding the gateways through storage, follows the job through both kills (it may
        // still be starting at the first: a client whose request for the cluster's manifest met the killed silo asks
        // another gateway 12 s later, within its 20 s start; it once waited 30 s, past a 15 s start, and exited 3)
        var (watchOut, watchErr) = (new StringWriter(), new StringWriter());
        var watch = Task.Run(() => RnnCluster.Client.Cli.Run(["watch", id, "--storage", Storage, "--cluster-id", cluster.ClusterId], watchOut, watchErr));

        // 1. the coordinator's silo, in the middle of the second epoch
        var before = await cluster.WaitAsync(id, s => s.Step >= 219 + 100, TimeSpan.FromMinutes(2), "the second epoch");
        var coordinator = cluster.Alive.Single(p => p.Holds(before.CoordinatorSilo));
        var killed = Stopwatch.StartNew();
        coordinator.Kill();
        var moved = await cluster.WaitAsync(id, s => !coordinator.Holds(s.CoordinatorSilo) && s.Recoveries >= 1, TimeSpan.FromMinutes(2), "a new coordinator");
        var going = await cluster.WaitAsync(id, s => s.Step > moved.Step, TimeSpan.FromMinutes(2), "the next step after the coordinator's silo died");
        Output.WriteLine($"coordinator's silo killed at step {before.Step} (checkpoint at step {before.CheckpointStep}): the new coordinator on " +
                        $"{going.CoordinatorSilo} was seen stepping {killed.Elapsed.TotalSeconds:0.0} s after the kill (polled every 0.1 s, calls time out after 2 s)");

        // 2. a silo holding shards only, mid-step
        var shardSilo = cluster.Alive.First(p => !p.Holds(going.CoordinatorSilo) && going.ShardSilos.Any(p.Holds));
        long stepAtKill = going.Step;
        killed.Restart();
        shardSilo.Kill();
        var recovered = await cluster.WaitAsync(id, s => s.Step > stepAtKill + 2, TimeSpan.FromMinutes(2), "steps after the shard's silo died");
        Output.WriteLine($"shard's silo killed at step {stepAtKill}: training went on {killed.Elapsed.TotalSeconds:0.0} s after the kill (step {recovered.Step})");

        // 3. a new silo joins while the job trains on
        var fresh = cluster.StartSilo();
        await fresh.WaitHealthyAsync(TimeSpan.FromSeconds(90));

        var finished = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(4), "the end of the job");
        Output.WriteLine(DurableCluster.Describe(finished));
        foreach (var line in cluster.RecoveryLog()) Output.WriteLine(line);
        Assert.True(finished.State == JobState.Completed, DurableCluster.Describe(finished) + "\n" + cluster.Logs());
        Assert.Equal(6, finished.History.Length);
        Assert.Equal(6L * 219, finished.Step);
        Assert.True(finished.Recoveries >= 2, DurableCluster.Describe(finished));
        Assert.Equal(expected, finished.WeightsHash);
        Assert.Equal(finished.Step, finished.CheckpointStep);
        Assert.False(fresh.HasExited);

        int watched = await watch.WaitAsync(TimeSpan.FromMinutes(1));
        string followed = watchOut.ToString();
        Assert.True(watched == 0, $"watch exited {watched}: {watchErr}\n{followed}");
        var epochs = followed.Split('\n').Where(l => l.StartsWith("epoch ")).Select(l => l.Split('/')[0]).ToArray();
        Assert.Equal(Enumerable.Range(1, 6).Select(e => $"epoch {e,3}"), epochs);   // every epoch once, in order
        Assert.Contains(expected, followed);
        Output.WriteLine($"watch: {epochs.Length} epochs printed once each; stderr: {watchErr.ToString().Trim()}");
    }

    [Fact]
    public async Task After_every_silo_was_killed_a_new_cluster_finishes_the_job_by_itself_with_the_uninterrupted_weights()
    {
        await using var cluster = new DurableCluster(Storage);
        await cluster.StartAsync(2);
        var spec = ChapterJobs.Spec("deep-rnn", epochs: 4, shards: 2);
        string expected = ChapterJobs.UninterruptedHash(spec);
        string id = (await cluster.StartJobAsync("all-killed", spec)).JobId;
        var before = await cluster.WaitAsync(id, s => s.Step >= 219 + 60, TimeSpan.FromMinutes(2), "the second epoch");

        foreach (var silo in cluster.Alive.ToArray()) silo.Kill();
        await cluster.DisconnectAsync();
        var killed = Stopwatch.StartNew();
        foreach (var silo in new[] { cluster.StartSilo(), cluster.StartSilo() }) await silo.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await cluster.ConnectAsync();

        // Nobody asks the job: its reminder wakes it. `jobs` (the registry, from storage) shows it finishing.
        var registry = cluster.Client.GetGrain<IJobRegistryGrain>(0);
        JobSummary? summary = null;
        while (killed.Elapsed < TimeSpan.FromMinutes(3))
        {
            try
            {
                summary = (await registry.List()).Items.SingleOrDefault(j => j.JobId == id);
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException)
            {
            }
            if (summary is { State: not JobState.Running }) break;
            await Task.Delay(250);
        }
        Assert.True(summary is { State: JobState.Completed }, $"registry: {summary}\n{cluster.LogsAbout(id)}");
        Output.WriteLine($"every silo killed at step {before.Step}; the job completed by itself {killed.Elapsed.TotalSeconds:0.0} s later on a new cluster");
        var finished = await cluster.StatusAsync(id, TimeSpan.FromSeconds(30));
        Assert.NotNull(finished);
        Assert.Equal(expected, finished.WeightsHash);
        Assert.Equal(expected, summary.WeightsHash);
        Assert.Equal(4, finished.History.Length);
        foreach (var line in cluster.RecoveryLog()) Output.WriteLine(line);
    }
}
