using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains;

/// <summary>
/// One shard of a job: holds the job's training data and a <see cref="BatchShard"/>; every step it runs forward and
/// BPTT over its subtree of the batch and returns the sums. Shards of one silo run in parallel on its cores (each
/// call is a turn on the thread pool).
/// </summary>
[ShardPlacement]
public sealed class ShardWorkerGrain(ILocalSiloDetails silo) : Grain, IShardWorkerGrain
{
    private BatchShard? _shard;
    private int ShardIndex => (int)this.GetPrimaryKeyLong(out _);

    public Task<string> Prepare(JobSpec spec)
    {
        var plan = JobPlan.From(spec);
        _shard = new BatchShard(plan.Model, plan.Data.Train, plan.Options.BatchSize, plan.Options.Seed, ShardIndex, plan.ShardCount);
        return Task.FromResult(silo.SiloAddress.ToString());
    }

    public Task<ShardGradient> ComputeGradient(GradientRequest request)
    {
        var shard = _shard ?? throw new InvalidOperationException($"shard {ShardIndex} was not prepared (its silo may have restarted)");
        int leaves = shard.Compute(request.Weights.Value, request.Epoch, request.BatchStart, request.BatchLength);
        // A new array every step: it is sent as immutable, so it must never be written again.
        var sum = leaves > 0 ? shard.GradientSum.ToArray() : [];
        return Task.FromResult(new ShardGradient(request.Step, ShardIndex, leaves, shard.LossSum, new Immutable<float[]>(sum)));
    }

    public Task Release()
    {
        _shard = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
