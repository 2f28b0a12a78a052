namespace RnnCluster.Grains.Sweeps;

/// <summary>
/// The summaries of every sweep of the cluster, in the job storage ("sweep-registry"), in the order they started. A
/// stored list that cannot be read (damaged) is never written over: the list is empty and says why, each sweep still
/// answers its own status.
/// </summary>
public sealed class SweepRegistryGrain(ILogger<SweepRegistryGrain> logger) : Grain, ISweepRegistryGrain
{
    private StoredState<Dictionary<string, SweepSummary>> _sweeps = null!;
    private string? _unreadable;   // why the stored list cannot be read

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(JobOptions.StorageName);
        _sweeps = new StoredState<Dictionary<string, SweepSummary>>(storage, "sweep-registry", this.GetGrainId(), "sweep list");
        await ReadAsync();
        await base.OnActivateAsync(cancellationToken);
    }

    public async Task Put(SweepSummary sweep)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (_unreadable is not null)
            {
                logger.LogWarning("Sweep registry: {SweepId} is not listed: {Error}", sweep.SweepId, _unreadable);
                return;
            }
            if (_sweeps.State.TryGetValue(sweep.SweepId, out var known) && (known with { Updated = sweep.Updated } == sweep || sweep.Updated < known.Updated))
                return;   // unchanged, or older than the summary held (puts may land out of order around a silo loss)
            _sweeps.State[sweep.SweepId] = sweep;
            try
            {
                await _sweeps.WriteStateAsync();
                return;
            }
            catch (Exception e) when (StaleWrite.Is(e) && attempt < StaleWrite.Attempts)
            {
                // another activation wrote the list since it was read: the put goes into the stored list instead
                await ReadAsync();
            }
        }
    }

    public Task<RegistryList<SweepSummary>> List() =>
        Task.FromResult(new RegistryList<SweepSummary>([.. _sweeps.State.Values], _unreadable is null ? [] : [_unreadable]));

    private async Task ReadAsync()
    {
        try
        {
            await _sweeps.ReadStateAsync();
        }
        catch (CorruptStateException e)
        {
            logger.LogWarning("Sweep registry: {Error}; it is not written over", e.Message);
            _unreadable = e.Message;
        }
    }
}
