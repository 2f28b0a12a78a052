using Orleans.Storage;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// Grain storage that fails every write and clear for grains whose id contains <see cref="Marker"/> (storage gone for
/// those jobs), every read too for those whose id contains <see cref="UnreadableMarker"/>, and passes everything else
/// to the memory storage it wraps.
/// </summary>
internal sealed class FailingWritesStorage(IGrainStorage inner) : IGrainStorage
{
    public const string Marker = "storage-down";
    public const string UnreadableMarker = "storage-down-unreadable";

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        grainId.ToString().Contains(UnreadableMarker, StringComparison.Ordinal)
            ? Task.FromException(Down(stateName))
            : inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Fails(grainId) ? Task.FromException(Down(stateName)) : inner.WriteStateAsync(stateName, grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Fails(grainId) ? Task.FromException(Down(stateName)) : inner.ClearStateAsync(stateName, grainId, grainState);

    private static bool Fails(GrainId grainId) => grainId.ToString().Contains(Marker, StringComparison.Ordinal);

    private static IOException Down(string stateName) => new($"storage is down (a test's): {stateName} failed");
}
