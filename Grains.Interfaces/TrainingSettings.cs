namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// Optimiser and training settings of a job (Keras's defaults unless set), with Keras's gradient clipping options.
/// LeastSquares: fit the linear model in closed form instead of by Adam (1 epoch; no early stopping or clipping).
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TrainingSettings")]
public sealed record TrainingSettings(
    int Epochs = 20,
    int BatchSize = 32,
    float LearningRate = 1e-3f,
    uint Seed = 42,
    int? EarlyStoppingPatience = null,
    bool RecordStepHashes = false,
    float? ClipNorm = null,
    float? GlobalClipNorm = null,
    float? ClipValue = null,
    bool LeastSquares = false);
