using System.Diagnostics;

namespace RnnCluster.Cluster.Tests;

/// <summary>
/// A job whose shard its silo's memory budget has no room for waits; a silo that joins meanwhile takes the shard, and
/// the job trains there without waiting for the first silo to make room, ending with bitwise the weights of an
/// undisturbed run. Real silo processes on Azurite; the budget comes from the silos' configuration, as a user sets it.
/// </summary>
[Trait("Category", "Faults")]
public sealed class JoiningSiloMemoryTests(ITestOutputHelper output) : AzuriteTests(output)
{
    // Without the refused silo named (FullSilos), the shard placed anew lands by the placement's formula, on the full
    // silo for about half of the job ids, and waits there as long as the other job runs (here: until cancelled).
    [Fact]
    public async Task A_shard_waiting_for_memory_moves_to_a_silo_that_joins_and_the_job_ends_as_undisturbed()
    {
        var waiter = ChapterJobs.Spec("deep-rnn", epochs: 4, shards: 1);
        var other = ChapterJobs.Spec("deep-rnn", epochs: 1000, shards: 1);   // runs until cancelled
        var (waiterPlan, otherPlan) = (JobPlan.From(waiter), JobPlan.From(other));
        // the other job and the waiting job's evaluation fit on a silo, the waiting job's shard too does not
        long budget = otherPlan.ShardBytes + otherPlan.EvaluationBytes + waiterPlan.EvaluationBytes + waiterPlan.ShardBytes / 2;
        Output.WriteLine($"shard {waiterPlan.ShardBytes} B, evaluation {waiterPlan.EvaluationBytes} B; budget {budget} B a silo");

        await using var cluster = new DurableCluster(Storage, $"--{JobOptions.Section}:MemoryBudget={budget}");
        await cluster.StartAsync(1);
        var first = cluster.Alive.Single();
        var client = cluster.Client;
        string otherId = ChapterJobs.NewId("join-other");
        Assert.Equal(JobState.Running, (await client.GetGrain<ITrainingJobGrain>(otherId).Start(other)).State);
        await cluster.WaitAsync(otherId, s => s.Step > 0, TimeSpan.FromMinutes(2), "the other job training");

        string waiterId = ChapterJobs.NewId("join-waiter");
        Assert.Equal(JobState.Running, (await client.GetGrain<ITrainingJobGrain>(waiterId).Start(waiter)).State);
        // (its first wait may be for its evaluation's room, when its shard was prepared first; then it holds its
        // evaluation and waits for its shard's)
        var waiting = await cluster.WaitAsync(waiterId, s => s.Waiting?.Contains($"shard 0 of job {waiterId}", StringComparison.Ordinal) == true || s.IsFinished,
            TimeSpan.FromMinutes(1), "the job waiting for room for its shard");
        Assert.True(waiting is { State: JobState.Running, Step: 0 } && waiting.Waiting!.StartsWith("memory: ", StringComparison.Ordinal)
            && waiting.Waiting.Contains("MemoryBudget", StringComparison.Ordinal), DurableCluster.Describe(waiting));
        Output.WriteLine($"{waiterId}: {waiting.Waiting}");

        var joined = cluster.StartSilo();
        await joined.WaitHealthyAsync(TimeSpan.FromSeconds(90));
        await cluster.WaitForActiveAsync(2, TimeSpan.FromSeconds(60));
        var clock = Stopwatch.StartNew();
        var done = await cluster.WaitAsync(waiterId, s => s.IsFinished, TimeSpan.FromMinutes(4), $"the end of {waiterId}");
        Output.WriteLine($"{DurableCluster.Describe(done)}; {clock.Elapsed.TotalSeconds:0.0} s after the silo joined");
        Assert.True(done.State == JobState.Completed, DurableCluster.Describe(done) + "\n" + cluster.LogsAbout(waiterId));
        Assert.Null(done.Waiting);
        Assert.Equal(4 * 219L, done.Step);
        Assert.Equal(ChapterJobs.UninterruptedHash(waiter), done.WeightsHash);
        Assert.True(done.ShardSilos.All(joined.Holds), DurableCluster.Describe(done));
        Output.WriteLine(cluster.LogsAbout(waiterId));

        // the other job never made room: it ran on, on the first silo
        var otherNow = await cluster.StatusAsync(otherId, TimeSpan.FromSeconds(30));
        Assert.True(otherNow is { State: JobState.Running } && otherNow.ShardSilos.All(first.Holds), DurableCluster.Describe(otherNow));
        Assert.Equal(JobState.Cancelled, (await client.GetGrain<ITrainingJobGrain>(otherId).Cancel()).State);
    }
}
