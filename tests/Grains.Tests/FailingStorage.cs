using Orleans.Storage;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// Grain storage that fails every write and clear for grains whose id contains <see cref="Marker"/> (storage gone for
/// those jobs), every read too for those whose id contains <see cref="UnreadableMarker"/>, reads of the job spec
/// with what a damaged blob gives (a deserialiser's <see cref="InvalidDataException"/>) for those whose id contains
/// <see cref="DamagedSpecMarker"/>, takes <see cref="SlowWrite"/> to write the spec of a job or the request of a
/// sweep whose id contains <see cref="SlowMarker"/>, and passes everything else to the memory storage it wraps.
/// </summary>
internal sealed class FailingStorage(IGrainStorage inner) : IGrainStorage
{
    public const string Marker = "storage-down";
    public const string UnreadableMarker = "storage-down-unreadable";
    public const string DamagedSpecMarker = "spec-damaged";
    public const string SlowMarker = "storage-slow";
    public static readonly TimeSpan SlowWrite = TimeSpan.FromSeconds(1);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        string id = grainId.ToString();
        if (id.Contains(UnreadableMarker, StringComparison.Ordinal)) return Task.FromException(Down(stateName));
        if (id.Contains(DamagedSpecMarker, StringComparison.Ordinal) && stateName == "job-spec")
            return Task.FromException(new InvalidDataException("the stored job-spec is not valid JSON (a test's damage)"));
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (Fails(grainId)) throw Down(stateName);
        if (stateName is "job-spec" or "sweep-request" && grainId.ToString().Contains(SlowMarker, StringComparison.Ordinal)) await Task.Delay(SlowWrite);
        await inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        Fails(grainId) ? Task.FromException(Down(stateName)) : inner.ClearStateAsync(stateName, grainId, grainState);

    private static bool Fails(GrainId grainId) => grainId.ToString().Contains(Marker, StringComparison.Ordinal);

    private static IOException Down(string stateName) => new($"storage is down (a test's): {stateName} failed");
}
