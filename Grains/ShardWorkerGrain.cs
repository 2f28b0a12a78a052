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
    private int _shardIndex;

    public Task<string> Prepare(ShardAssignment assignment)
    {
        var plan = JobPlan.From(assignment.Spec);
        _shardIndex = assignment.ShardIndex;
        _shard = new BatchShard(plan.Model, plan.Data.Train, plan.Options.BatchSize, plan.Options.Seed, assignment.ShardIndex, plan.ShardCount);
        return Task.FromResult(silo.SiloAddress.ToString());
    }

    public Task<ShardGradient> ComputeGradient(GradientRequest request)
    {
        var shard = _shard ?? throw new InvalidOperationException($"shard {this.GetPrimaryKeyLong(out _)} was not prepared (its silo may have restarted)");
        int leaves = shard.Compute(request.Weights.Value, request.Epoch, request.BatchStart, request.BatchLength);
        // A new array every step: it is sent as immutable, so it must never be written again.
        var sum = leaves > 0 ? shard.GradientSum.ToArray() : [];
        return Task.FromResult(new ShardGradient(request.Step, _shardIndex, leaves, shard.LossSum, new Immutable<float[]>(sum)));
    }

    public Task Release()
    {
        _shard = null;
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
