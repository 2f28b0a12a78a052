using Orleans.Storage;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// Grain storage that fails every write and clear for grains whose id contains <see cref="Marker"/> (storage gone for
/// those jobs), and passes everything else to the memory storage it wraps.
/// </summary>
internal sealed class FailingWritesStorage(IGrainStorage inner) : IGrainStorage
{
    public const string Marker = "storage-down";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Fails(grainId) ? Task.FromException(Down(stateName)) : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Fails(grainId) ? Task.FromException(Down(stateName)) : inner.ClearStateAsync(stateName, grainId, grainState);

    private static bool Fails(GrainId grainId) => grainId.ToString().Contains(Marker, StringComparison.Ordinal);

    private static IOException Down(string stateName) => new($"storage is down (a test's): writing {stateName} failed");
}
