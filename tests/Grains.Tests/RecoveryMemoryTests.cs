using Orleans.Concurrency;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// <see cref="ShardedGradientSource"/> without a cluster: a shard lost with its silo is prepared again, and the silo it
/// moves to may have no room in its memory budget yet. That is waited for like a silo still missing (other jobs end),
/// up to the recovery timeout; a shard the budget could never hold fails the step at once.
/// </summary>
public class RecoveryMemoryTests
{
    /// <summary>A shard that answers "not prepared" until it is prepared again, then a sum of ones.</summary>
    private sealed class LostShardWorker : IShardWorkerGrain
    {
        public bool Prepared { get; set; }

        public Task<string> Prepare(JobSpec spec, int run) => Task.FromResult("silo");

        public Task<ShardGradient> ComputeGradient(GradientRequest request) => Task.FromResult(Prepared
            ? new ShardGradient(request.Step, 0, 1, 0.5, new Immutable<float[]>([1f, 1f]))
            : new ShardGradient(request.Step, 0, -1, 0, new Immutable<float[]>([])));

        public Task Release(int run) => Task.CompletedTask;
    }

    private static Func<int[], Task> PrepareAfter(LostShardWorker worker, int refusals, bool fits)
    {
        int calls = 0;
        return _ =>
        {
            if (++calls <= refusals) throw new MemoryBudgetException($"refusal {calls}: no room", fits);
            worker.Prepared = true;
            return Task.CompletedTask;
        };
    }

    [Fact]
    public async Task A_lost_shard_whose_new_silo_has_no_room_yet_is_waited_for_saying_why_and_the_step_completes()
    {
        var worker = new LostShardWorker();
        var failures = new List<Exception>();
        var waiting = new List<string?>();
        var source = new ShardedGradientSource([worker], 2, PrepareAfter(worker, refusals: 2, fits: true), TimeSpan.FromSeconds(30),
            lost: failures.Add, waiting: waiting.Add);
        var gradient = new float[2];

        double loss = await source.SumAsync([0f, 0f], 1, 1, 0, 4, gradient, CancellationToken.None);

        Assert.Equal(0.5, loss);
        Assert.Equal([1f, 1f], gradient);
        Assert.IsType<ShardsLostException>(Assert.Single(failures));   // the loss is said once, the refusals are waited out
        // each refusal said as the job's status says a wait for memory, and the wait's end once the step went on
        Assert.Equal(["memory: refusal 1: no room", "memory: refusal 2: no room", null], waiting);
    }

    [Fact]
    public async Task A_recovery_without_a_refusal_says_no_wait()
    {
        var worker = new LostShardWorker();
        var waiting = new List<string?>();
        var source = new ShardedGradientSource([worker], 2, PrepareAfter(worker, refusals: 0, fits: true), TimeSpan.FromSeconds(30), waiting: waiting.Add);

        await source.SumAsync([0f, 0f], 1, 1, 0, 4, new float[2], CancellationToken.None);

        Assert.True(worker.Prepared);
        Assert.Empty(waiting);
    }

    [Fact]
    public async Task No_room_for_longer_than_the_recovery_timeout_fails_the_step_naming_the_budget()
    {
        var worker = new LostShardWorker();
        var source = new ShardedGradientSource([worker], 2, PrepareAfter(worker, refusals: int.MaxValue, fits: true), TimeSpan.FromSeconds(1));

        var e = await Assert.ThrowsAsync<ShardsLostException>(() => source.SumAsync([0f, 0f], 7, 1, 0, 4, new float[2], CancellationToken.None).AsTask());

        Assert.StartsWith("step 7: shards not back after 1 s: refusal ", e.Message);
        Assert.Contains("no room", e.Message);
    }

    [Fact]
    public async Task A_shard_the_budget_could_never_hold_fails_the_step_at_once()
    {
        var worker = new LostShardWorker();
        var source = new ShardedGradientSource([worker], 2, PrepareAfter(worker, refusals: 1, fits: false), TimeSpan.FromSeconds(30));

        var e = await Assert.ThrowsAsync<MemoryBudgetException>(() => source.SumAsync([0f, 0f], 1, 1, 0, 4, new float[2], CancellationToken.None).AsTask());

        Assert.False(e.Fits);
        Assert.False(worker.Prepared);
    }
}
