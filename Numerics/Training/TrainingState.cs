namespace RnnCluster.Numerics.Training;

/// <summary>
/// Everything the <see cref="TrainingLoop"/> carries from one step to the next, as one record that can be saved and
/// restored (<see cref="CheckpointFormat"/>): resuming from it gives bitwise the weights an uninterrupted run has.
/// The loop is at batch <see cref="BatchStart"/> of epoch <see cref="Epoch"/> (1-based); <see cref="Step"/> steps are
/// done. Adam's moments live here (the loop's Adam updates these arrays in place), and so does early stopping's best.
/// </summary>
public sealed class TrainingState
{
    public long Step { get; set; }
    public int Epoch { get; set; } = 1;
    public int BatchStart { get; set; }

    /// <summary>Loss summed over the batches of the epoch in progress (for its mean training loss).</summary>
    public double EpochLossSum { get; set; }

    /// <summary>Weights, [parameters].</summary>
    public required float[] Parameters { get; init; }

    /// <summary>Adam's first and second moments, [parameters] each.</summary>
    public required float[] AdamM { get; init; }
    public required float[] AdamV { get; init; }

    /// <summary>Early stopping's best weights so far, [parameters], their validation MSE and epoch (0: none yet).</summary>
    public required float[] BestParameters { get; init; }
    public double BestValid { get; set; } = double.PositiveInfinity;
    public int BestEpoch { get; set; }

    /// <summary>True once early stopping ended the run (more epochs would not be trained).</summary>
    public bool Stopped { get; set; }

    /// <summary>Training time before this point, over every run that led here.</summary>
    public TimeSpan Elapsed { get; set; }

    public List<EpochReport> History { get; init; } = [];

    /// <summary>The state before the first step: these weights, zero moments, nothing trained.</summary>
    public static TrainingState Initial(float[] parameters) => new()
    {
        Parameters = parameters,
        AdamM = new float[parameters.Length],
        AdamV = new float[parameters.Length],
        BestParameters = (float[])parameters.Clone(),
    };

    /// <summary>The weights a finished run returns: early stopping's best when it was on, else the last.</summary>
    public float[] FinalParameters(bool earlyStopping) => earlyStopping ? BestParameters : Parameters;

    /// <summary>A deep copy: the loop goes on changing this one.</summary>
    public TrainingState Copy() => new()
    {
        Step = Step, Epoch = Epoch, BatchStart = BatchStart, EpochLossSum = EpochLossSum,
        Parameters = (float[])Parameters.Clone(), AdamM = (float[])AdamM.Clone(), AdamV = (float[])AdamV.Clone(),
        BestParameters = (float[])BestParameters.Clone(), BestValid = BestValid, BestEpoch = BestEpoch,
        Stopped = Stopped, Elapsed = Elapsed, History = [.. History],
    };
}
