namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// Optimiser and training settings of a job (Keras's defaults unless set), with Keras's gradient clipping options.
/// LeastSquares: fit the linear model in closed form instead of by Adam (1 epoch; no early stopping or clipping).
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TrainingSettings")]
public sealed record TrainingSettings(
    [property: Id(0)] int Epochs = 20,
    [property: Id(1)] int BatchSize = 32,
    [property: Id(2)] float LearningRate = 1e-3f,
    [property: Id(3)] uint Seed = 42,
    [property: Id(4)] int? EarlyStoppingPatience = null,
    [property: Id(5)] bool RecordStepHashes = false,
    [property: Id(6)] float? ClipNorm = null,
    [property: Id(7)] float? GlobalClipNorm = null,
    [property: Id(8)] float? ClipValue = null,
    [property: Id(9)] bool LeastSquares = false);
