namespace RnnCluster.Grains.Storage;

/// <summary>
/// One state of a grain in the grain storage, read by the grain's own call (what <c>[PersistentState]</c> reads before
/// the activation): a stored value that exists but does not deserialise throws <see cref="CorruptStateException"/>
/// (<paramref name="what"/> names it), where <c>[PersistentState]</c> failed the activation, and so every call, with
/// the deserialiser's own exception. The grain that met one must not write the state after it (it would replace the
/// damaged value): a sweep that cannot read its record is failed, and no call of a failed sweep writes it. Any other
/// failure is an <see cref="OrleansException"/> naming the part, as the <c>[PersistentState]</c> bridge threw.
/// </summary>
internal sealed class StoredState<T>(IGrainStorage storage, string name, GrainId grain, string what) where T : new()
{
    private readonly GrainState<T> _state = new(new T());

    public T State
    {
        get => _state.State!;
        set => _state.State = value;
    }

    /// <summary>Whether the last read found the state stored (or a write stored it).</summary>
    public bool RecordExists => _state.RecordExists;

    public async Task ReadStateAsync()
    {
        try
        {
            await storage.ReadStateAsync(name, grain, _state);
            _state.State ??= new T();   // none stored: a fresh one, as [PersistentState] gives
        }
        catch (Exception e) when (JobStore.IsUnreadable(e))
        {
            throw new CorruptStateException(what, JobStore.Innermost(e));
        }
        catch (Exception e) when (e is not OrleansException)
        {
            throw new OrleansException($"storage did not answer reading the {what}: {JobStore.Innermost(e).Message}");
        }
    }

    // a failure reaches callers as a cluster failure naming the part (the provider's own exceptions, Azure's, have no
    // codec); a conflict (InconsistentStateException, see StaleWrite) as it is
    public async Task WriteStateAsync()
    {
        try
        {
            await storage.WriteStateAsync(name, grain, _state);
        }
        catch (Exception e) when (e is not OrleansException)
        {
            throw new OrleansException($"storage did not take the {what}: {JobStore.Innermost(e).Message}");
        }
    }
}
