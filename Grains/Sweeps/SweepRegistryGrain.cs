using RnnCluster.Grains.Interfaces;
using RnnCluster.Grains.Storage;

namespace RnnCluster.Grains.Sweeps;

/// <summary>The summaries of every sweep of the cluster, in the job storage ("sweep-registry"), in the order they started.</summary>
public sealed class SweepRegistryGrain([PersistentState("sweep-registry", JobOptions.StorageName)] IPersistentState<Dictionary<string, SweepSummary>> sweeps)
    : Grain, ISweepRegistryGrain
{
    private const int StaleAttempts = 5;

    public async Task Put(SweepSummary sweep)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (sweeps.State.TryGetValue(sweep.SweepId, out var known) && (known with { Updated = sweep.Updated } == sweep || sweep.Updated < known.Updated))
                return;   // unchanged, or older than the summary held (puts may land out of order around a silo loss)
            sweeps.State[sweep.SweepId] = sweep;
            try
            {
                await sweeps.WriteStateAsync();
                return;
            }
            catch (Exception e) when (StaleWrite.Is(e) && attempt < StaleAttempts)
            {
                // another activation wrote the list since it was read: the put goes into the stored list instead
                await sweeps.ReadStateAsync();
            }
        }
    }

    public Task<SweepSummary[]> List() => Task.FromResult(sweeps.State.Values.ToArray());
}
