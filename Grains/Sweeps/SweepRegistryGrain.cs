using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Grains.Sweeps;

/// <summary>The summaries of every sweep of the cluster, in the job storage ("sweep-registry"), in the order they started.</summary>
public sealed class SweepRegistryGrain([PersistentState("sweep-registry", JobOptions.StorageName)] IPersistentState<Dictionary<string, SweepSummary>> sweeps)
    : Grain, ISweepRegistryGrain
{
    public async Task Put(SweepSummary sweep)
    {
        if (sweeps.State.TryGetValue(sweep.SweepId, out var known) && known with { Updated = sweep.Updated } == sweep) return;
        sweeps.State[sweep.SweepId] = sweep;
        await sweeps.WriteStateAsync();
    }

    public Task<SweepSummary[]> List() => Task.FromResult(sweeps.State.Values.ToArray());
}
