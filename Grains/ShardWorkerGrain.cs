using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains;

/// <summary>
/// One shard of a job: holds the job's training data and a <see cref="BatchShard"/>; every step it runs forward and
/// BPTT over its subtree of the batch and returns the sums. Shards of one silo run in parallel on its cores (each
/// call is a turn on the thread pool). A shard keeps nothing in storage: activated anew after its silo was lost, it
/// answers "not prepared" (Leaves -1) and its coordinator prepares it again from the stored spec. A release is for one run
/// of the job: one that arrives after a later run prepared the shard (a resume that did not wait for it) is ignored.
/// A shard its silo's memory budget has no room for leaves that silo (see <see cref="FullSilos"/>).
/// </summary>
[ShardPlacement]
public sealed class ShardWorkerGrain(ILocalSiloDetails silo, MemoryBudget memory) : Grain, IShardWorkerGrain
{
    private BatchShard? _shard;
    private IDisposable? _held;   // the shard's bytes in the silo's memory budget, while it has data
    private int _run;   // the latest run that prepared this shard
    private int ShardIndex => (int)this.GetPrimaryKeyLong(out _);
    private string JobId { get { this.GetPrimaryKeyLong(out string? job); return job ?? ""; } }

    /// <summary>Builds the shard's data, once: preparing a prepared shard again (a coordinator that recovered) only answers.</summary>
    public Task<string> Prepare(JobSpec spec, int run)
    {
        _run = Math.Max(_run, run);
        if (_shard is null)
        {
            var plan = JobPlan.From(spec);
            try
            {
                _held = memory.Hold(plan.ShardBytes, $"shard {ShardIndex} of job {JobId}");   // throws before anything is allocated
            }
            catch (MemoryBudgetException e)
            {
                // no room here: the shard leaves this silo, so that its next call places it anew (see FullSilos)
                e.Silo = silo.SiloAddress.ToString();
                DeactivateOnIdle();
                throw;
            }
            try
            {
                _shard = new BatchShard(plan.Model, plan.Data.Train, plan.Options.BatchSize, plan.Options.Seed, ShardIndex, plan.ShardCount);
            }
            catch
            {
                Drop();
                throw;
            }
        }
        return Task.FromResult(silo.SiloAddress.ToString());
    }

    public Task<ShardGradient> ComputeGradient(GradientRequest request)
    {
        if (_shard is not { } shard) return Task.FromResult(new ShardGradient(request.Step, ShardIndex, -1, 0, new Immutable<float[]>([])));
        int leaves = shard.Compute(request.Weights.Value, request.Epoch, request.BatchStart, request.BatchLength);
        // A new array every step: it is sent as immutable, so it must never be written again.
        var sum = leaves > 0 ? shard.GradientSum.ToArray() : [];
        return Task.FromResult(new ShardGradient(request.Step, ShardIndex, leaves, shard.LossSum, new Immutable<float[]>(sum)));
    }

    public Task Release(int run)
    {
        if (run < _run) return Task.CompletedTask;
        Drop();
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        Drop();
        return Task.CompletedTask;
    }

    private void Drop()
    {
        _shard = null;
        _held?.Dispose();
        _held = null;
    }
}
