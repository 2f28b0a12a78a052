namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// A sweep as the client submits it: the spec (the JSON of Numerics' SweepSpec, checked again by the grain) and the
/// data every trial trains on (the chapter's seed, or the CSV columns the client read and ships once). StartToken names
/// this one start, as <see cref="JobSpec.StartToken"/> does a job's: sent again, it is answered with the sweep's status.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.SweepRequest")]
public sealed record SweepRequest(
    string SpecJson,
    DataSpec Data,
    string? StartToken = null);
