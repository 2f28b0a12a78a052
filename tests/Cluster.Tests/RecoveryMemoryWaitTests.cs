namespace RnnCluster.Cluster.Tests;

/// <summary>
/// A silo dies and the shard that ran on it moves to a silo whose memory budget has no room for it: its job waits, says
/// so in its status ("memory: ..."), and goes on when room is made, ending with bitwise the weights of its uninterrupted
/// run; the job that ran on the survivor alone trains on, unaware.
/// Real silo processes on Azurite, one killed with SIGKILL; the budget comes from the silos' configuration, as a user
/// sets it.
/// </summary>
[Trait("Category", "Faults")]
public sealed class RecoveryMemoryWaitTests(ITestOutputHelper output) : AzuriteTests(output)
{
    // With Orleans' default grain directory, which of the two jobs waited was up to the cluster: a grain whose directory
    // entry was on the dead silo was activated again by the next call while its first activation still ran, holding its
    // memory, and the new one waited for the room its own first activation held (seen on this test's first runs: the
    // other job's new activation waiting while calls still reached its first one). With the strongly consistent
    // directory the survivor's grains keep their one activation, so the job whose shard moved is the one that waits.
    // The other job runs until cancelled: one that ended by itself made room before the kill's recovery on a loaded machine.
    [Fact]
    public async Task After_a_silos_death_the_job_whose_shard_has_no_room_waits_saying_so_and_goes_on_when_room_is_made()
    {
        var moved = ChapterJobs.Spec("deep-rnn", epochs: 12, shards: 2);   // a shard on each silo: one moves to the survivor
        var other = ChapterJobs.Spec("deep-rnn", epochs: 1000, shards: 1);  // all of it on the survivor, running till cancelled
        var (movedPlan, otherPlan) = (JobPlan.From(moved), JobPlan.From(other));
        // both jobs' networks fit on one silo before the kill (s + s' + e + e' at most), not with the moved shard too
        // (another s; the margin is less than s)
        long budget = movedPlan.ShardBytes + otherPlan.ShardBytes + movedPlan.EvaluationBytes + otherPlan.EvaluationBytes + movedPlan.ShardBytes / 2;
        Output.WriteLine($"shard {movedPlan.ShardBytes} B, evaluation {movedPlan.EvaluationBytes} B; the other job's shard {otherPlan.ShardBytes} B, "
                          + $"evaluation {otherPlan.EvaluationBytes} B; budget {budget} B a silo");

        await using var cluster = new DurableCluster(Storage, $"--{JobOptions.Section}:MemoryBudget={budget}");
        // the other job on the first silo alone, so that its coordinator and shard are on the silo that survives
        await cluster.StartAsync(1);
        var survivor = cluster.Alive.Single();
        string otherId = (await cluster.StartJobAsync("mem-other", other)).JobId;
        await cluster.WaitAsync(otherId, s => s.Step > 0, TimeSpan.FromMinutes(2), "the other job training");

        var victim = cluster.StartSilo();
        await victim.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await cluster.WaitForActiveAsync(2, TimeSpan.FromSeconds(60));
        string movedId = (await cluster.StartJobAsync("mem-moved", moved)).JobId;
        var before = await cluster.WaitAsync(movedId, s => s.Step >= 219 + 50, TimeSpan.FromMinutes(2), "the job's second epoch");
        Assert.True(before.ShardSilos.Any(victim.Holds) && before.ShardSilos.Any(survivor.Holds), DurableCluster.Describe(before));
        var otherBefore = await cluster.StatusAsync(otherId, TimeSpan.FromSeconds(30));
        Assert.True(otherBefore is { State: JobState.Running } && otherBefore.ShardSilos.All(survivor.Holds), DurableCluster.Describe(otherBefore));

        victim.Kill();
        var waiting = await cluster.WaitAsync(movedId, s => s.Waiting is not null || s.IsFinished, TimeSpan.FromMinutes(2), "the job waiting for memory");
        Output.WriteLine($"silo killed at step {before.Step}; waiting at step {waiting.Step}: {waiting.Waiting}");
        Assert.True(waiting.State == JobState.Running && waiting.Waiting!.StartsWith("memory: shard ", StringComparison.Ordinal)
            && waiting.Waiting.Contains($"of job {movedId} ", StringComparison.Ordinal) && waiting.Waiting.Contains("MemoryBudget", StringComparison.Ordinal),
            DurableCluster.Describe(waiting) + "\n" + waiting.Waiting);

        // the other job never waited: it trains on, on the survivor
        long otherStep = (await cluster.StatusAsync(otherId, TimeSpan.FromSeconds(30)))?.Step ?? 0;
        var otherNow = await cluster.WaitAsync(otherId, s => s.Step > otherStep + 219 || s.IsFinished, TimeSpan.FromMinutes(2), "the other job training on");
        Assert.True(otherNow is { State: JobState.Running, Waiting: null } && otherNow.ShardSilos.All(survivor.Holds), DurableCluster.Describe(otherNow));
        Assert.NotNull((await cluster.StatusAsync(movedId, TimeSpan.FromSeconds(30)))?.Waiting);

        // room made: the other job is cancelled, its networks leave the budget
        Assert.Equal(JobState.Cancelled, (await cluster.Client.GetGrain<ITrainingJobGrain>(otherId).Cancel()).State);
        await AssertUninterruptedAsync(cluster, movedId, moved, 12, survivor);
        foreach (var line in cluster.RecoveryLog()) Output.WriteLine(line);
    }

    // the job ends completed with its uninterrupted weights, no longer waiting, every shard listed where it is (a
    // prepare that went through while another was refused is recorded too)
    private async Task AssertUninterruptedAsync(DurableCluster cluster, string id, JobSpec spec, int epochs, SiloProcess survivor)
    {
        var done = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(5), $"the end of {id}");
        Output.WriteLine(DurableCluster.Describe(done));
        Assert.True(done.State == JobState.Completed, DurableCluster.Describe(done) + "\n" + cluster.LogsAbout(id));
        Assert.Null(done.Waiting);
        Assert.Equal(epochs * 219L, done.Step);
        Assert.Equal(ChapterJobs.UninterruptedHash(spec), done.WeightsHash);
        Assert.True(done.ShardSilos.All(survivor.Holds), DurableCluster.Describe(done));
    }
}
