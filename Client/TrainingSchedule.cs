using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Client;

/// <summary>
/// How long `train` trains: the epochs and early stopping's patience from --epochs and --early-stopping (0: off), with
/// the defaults. On the chapter's series the chapter's 20 epochs without early stopping; on a --data series, when
/// neither option is given, until validation stops improving (patience <see cref="DataPatience"/>, best weights kept)
/// within <see cref="DataEpochCap"/> epochs: the chapter's 20 epochs under-train a model on a real series. --epochs
/// alone trains exactly that many; --early-stopping P alone stops on it within the default cap. A least-squares fit is
/// one epoch, and refuses either option.
/// </summary>
public sealed record TrainingSchedule(int Epochs, int? Patience, bool DataDefault, bool LeastSquares)
{
    public const int DataEpochCap = 200;
    public const int DataPatience = 10;

    public static TrainingSchedule For(bool chapterData, bool leastSquares, int? epochs, int? earlyStopping)
    {
        if (earlyStopping is < 0 or > TrainingOptions.MaxEpochs)
            throw new InvalidInputException("--early-stopping", $"{earlyStopping} is out of range; allowed 0..{TrainingOptions.MaxEpochs} (0: off)");
        if (leastSquares)
        {
            if (epochs is int e && e != 1) throw new InvalidInputException("--epochs", $"{e}: a least-squares fit is one epoch; allowed 1 (or leave it out)");
            if (earlyStopping is > 0) throw new InvalidInputException("--early-stopping", "does not apply to a least-squares fit (one epoch, the training optimum)");
            return new TrainingSchedule(1, null, false, true);
        }
        int? patience = earlyStopping is 0 ? null : earlyStopping;
        if (!chapterData && epochs is null && earlyStopping is null) return new TrainingSchedule(DataEpochCap, DataPatience, true, false);
        int cap = epochs ?? (!chapterData && patience is not null ? DataEpochCap : TrainingSettings.DefaultEpochs);
        return new TrainingSchedule(cap, patience, false, false);
    }

    /// <summary>The output's "training:" line (without the label), or null when it is the chapter's plain 20 epochs.</summary>
    public string? Describe()
    {
        if (LeastSquares) return "least squares: the linear model's training optimum in closed form (one fit, no epochs of Adam)";
        if (DataDefault)
            return $"early stopping (patience {Patience}, best weights kept), at most {Epochs} epochs: the default on --data; "
                + "--epochs N trains exactly N epochs, --early-stopping P sets the patience (0: off)";
        if (Patience is int p) return $"early stopping (patience {p}, best weights kept), at most {Epochs} epochs";
        return null;
    }
}
