namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// Optimiser and training settings of a job (the chapter's defaults unless set: the constants below), with Keras's gradient clipping options.
/// LeastSquares: fit the linear model in closed form instead of by Adam (1 epoch; no early stopping or clipping).
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.TrainingSettings")]
public sealed record TrainingSettings(
    int Epochs = TrainingSettings.DefaultEpochs,
    int BatchSize = TrainingSettings.DefaultBatchSize,
    float LearningRate = TrainingSettings.DefaultLearningRate,
    uint Seed = TrainingSettings.DefaultSeed,
    int? EarlyStoppingPatience = null,
    bool RecordStepHashes = false,
    float? ClipNorm = null,
    float? GlobalClipNorm = null,
    float? ClipValue = null,
    bool LeastSquares = false)
{
    /// <summary>The chapter's 20 epochs (Keras's fit would train 1), what <c>train</c> and a sweep's trial take when not told.</summary>
    public const int DefaultEpochs = 20;

    /// <summary>Keras's fit default.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>Adam's default; a catalogue model may give its own (the chapter's sequence-to-sequence RNN: 0.01).</summary>
    public const float DefaultLearningRate = 1e-3f;

    public const uint DefaultSeed = 42;
}
