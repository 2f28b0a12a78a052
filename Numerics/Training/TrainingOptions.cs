using RnnCluster.Numerics.Optim;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// How to train: the chapter's 20 epochs, Keras's batch of 32 and Adam's lr 1e-3 unless set. <see cref="Seed"/> fixes
/// the initial weights and the epoch shuffles (and later dropout masks). <see cref="EarlyStoppingPatience"/>:
/// stop after that many epochs without a better validation MSE and keep the best weights; null trains every epoch.
/// <see cref="Clipping"/>: Keras's clipnorm, global_clipnorm and clipvalue on each batch's mean gradient.
/// <see cref="LeastSquares"/>: fit the linear model in closed form (<see cref="LeastSquaresFit"/>) instead of Adam's
/// epochs: one "epoch", no early stopping, no clipping.
/// </summary>
public sealed record TrainingOptions(
    int Epochs = 20,
    int BatchSize = 32,
    float LearningRate = 1e-3f,
    uint Seed = 42,
    int? EarlyStoppingPatience = null,
    GradientClipping? Clipping = null,
    bool LeastSquares = false)
{
    public const int MaxEpochs = 1000;
    public const int MaxBatchSize = 1024;

    public AdamSettings Adam => new(LearningRate);

    /// <summary>Throws <see cref="InvalidInputException"/> naming the first field out of range.</summary>
    public void Validate()
    {
        if (Epochs < 1 || Epochs > MaxEpochs)
            throw new InvalidInputException("epochs", $"{Epochs} is out of range; allowed 1..{MaxEpochs}");
        if (BatchSize < 1 || BatchSize > MaxBatchSize)
            throw new InvalidInputException("batch_size", $"{BatchSize} is out of range; allowed 1..{MaxBatchSize}");
        if (!float.IsFinite(LearningRate) || LearningRate <= 0 || LearningRate > 1)
            throw new InvalidInputException("learning_rate", $"{LearningRate} is out of range; allowed greater than 0 and at most 1");
        Clipping?.Validate();
        if (EarlyStoppingPatience is < 1 or > MaxEpochs)
            throw new InvalidInputException("early_stopping", $"{EarlyStoppingPatience} is out of range; allowed 1..{MaxEpochs}");
        if (!LeastSquares) return;
        if (Epochs != 1) throw new InvalidInputException("epochs", $"{Epochs}: a least-squares fit is one epoch; allowed 1");
        if (EarlyStoppingPatience is not null)
            throw new InvalidInputException("early_stopping", "does not apply to a least-squares fit (one epoch, the training optimum)");
        foreach (var (value, field) in new[] { (Clipping?.ClipNorm, "clipnorm"), (Clipping?.GlobalClipNorm, "global_clipnorm"), (Clipping?.ClipValue, "clipvalue") })
            if (value is not null) throw new InvalidInputException(field, "gradient clipping does not apply to a least-squares fit (no gradient steps)");
    }
}
