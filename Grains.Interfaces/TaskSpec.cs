namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// What a job forecasts: the horizon; sequence-to-sequence targets (at every step) or a vector; a one-step model
/// applied Horizon times (Iterative); which target steps a sequence model keeps (TargetStart, TargetStride).
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TaskSpec")]
public sealed record TaskSpec(
    [property: Id(0)] int Horizon = 1,
    [property: Id(1)] bool Sequence = false,
    [property: Id(2)] bool Iterative = false,
    [property: Id(3)] int TargetStart = 0,
    [property: Id(4)] int TargetStride = 1);
