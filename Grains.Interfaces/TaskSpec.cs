namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// What a job forecasts: the horizon; sequence-to-sequence targets (at every step) or a vector; a one-step model
/// applied Horizon times (Iterative); which target steps a sequence model keeps (TargetStart, TargetStride).
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TaskSpec")]
public sealed record TaskSpec(
    int Horizon = 1,
    bool Sequence = false,
    bool Iterative = false,
    int TargetStart = 0,
    int TargetStride = 1);
