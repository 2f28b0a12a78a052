using System.Diagnostics;

namespace RnnCluster.Cluster.Tests;

/// <summary>
/// A silo dies; the shard it ran is prepared again, and the placement's formula puts it on the survivor, whose memory
/// budget has no room for it. The survivor refuses, the job names it (FullSilos), and the shard goes to a spare silo that
/// had joined before the death; the job ends with bitwise the weights of an undisturbed run. Real silo processes on
/// Azurite, one killed with SIGKILL; the budget comes from the silos' configuration, as a user sets it.
/// </summary>
[Trait("Category", "Faults")]
public sealed class SpareSiloMemoryTests(ITestOutputHelper output) : AzuriteTests(output)
{
    // Deterministic by construction: the job's two shards are one on each of the first two silos, and the survivor is
    // the silo of the job's coordinator, so it holds the coordinator's evaluation and a shard, and the budget has room for
    // half a shard more. The shard placed again goes to slot (k + o) mod 2 among the two silos left, the slot it had
    // among the first two: the spare's port is chosen so that this slot is the survivor's. Without the survivor named,
    // the shard would wait there for as long as the job's own networks hold the room (for ever).
    private const int Epochs = 30;   // still training when the spare has joined (about a second an epoch)

    [Fact]
    public async Task A_lost_shard_the_survivor_has_no_room_for_goes_to_a_spare_silo_and_the_job_ends_as_undisturbed()
    {
        var spec = ChapterJobs.Spec("deep-rnn", epochs: Epochs, shards: 2);
        var plan = JobPlan.From(spec);
        long budget = plan.ShardBytes + plan.EvaluationBytes + plan.ShardBytes / 2;
        Output.WriteLine($"shard {plan.ShardBytes} B, evaluation {plan.EvaluationBytes} B; budget {budget} B a silo");

        await using var cluster = new DurableCluster(Storage, $"--{JobOptions.Section}:MemoryBudget={budget}");
        await cluster.StartAsync(2);
        string id = (await cluster.StartJobAsync("spare", spec)).JobId;
        var before = await cluster.WaitAsync(id, s => s.Step >= 219 + 50, TimeSpan.FromMinutes(2), "the job's second epoch");
        var survivor = cluster.Alive.Single(s => s.Holds(before.CoordinatorSilo));
        var victim = cluster.Alive.Single(s => s != survivor);
        Assert.True(before.ShardSilos.Any(survivor.Holds) && before.ShardSilos.Any(victim.Holds), DurableCluster.Describe(before));

        // the victim's slot among the first two silos sorted by address is the lost shard's slot among the two left
        string survivorAddress = before.ShardSilos.Single(survivor.Holds), victimAddress = before.ShardSilos.Single(victim.Holds);
        bool victimFirst = string.CompareOrdinal(victimAddress, survivorAddress) < 0;
        int sparePort;
        do sparePort = ChildProcess.FreePort();
        while (string.CompareOrdinal($"S127.0.0.1:{sparePort}:", survivorAddress) > 0 != victimFirst);
        var spare = cluster.StartSilo(sparePort);
        await spare.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await cluster.WaitForActiveAsync(3, TimeSpan.FromSeconds(60));

        var atKill = await cluster.StatusAsync(id, TimeSpan.FromSeconds(30));
        Assert.True(atKill is { State: JobState.Running }, DurableCluster.Describe(atKill));
        victim.Kill();
        var clock = Stopwatch.StartNew();
        var done = await cluster.WaitAsync(id, s => s.IsFinished, TimeSpan.FromMinutes(4), $"the end of {id}");
        Output.WriteLine($"silo killed at step {atKill?.Step}; {DurableCluster.Describe(done)}; {clock.Elapsed.TotalSeconds:0.0} s after the kill");
        string log = cluster.LogsAbout(id);
        Output.WriteLine(log);
        Assert.True(done.State == JobState.Completed, DurableCluster.Describe(done) + "\n" + log);
        Assert.Null(done.Waiting);
        Assert.Equal(Epochs * 219L, done.Step);
        Assert.Equal(ChapterJobs.UninterruptedHash(spec), done.WeightsHash);
        // the survivor refused the shard (the formula's choice), and the spare took it
        Assert.Contains("waiting for memory: shard", log);
        Assert.True(done.ShardSilos.Count(survivor.Holds) == 1 && done.ShardSilos.Count(spare.Holds) == 1, DurableCluster.Describe(done));
        Assert.True(survivor.Holds(done.CoordinatorSilo), DurableCluster.Describe(done));
    }
}
