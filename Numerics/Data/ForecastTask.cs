namespace RnnCluster.Numerics.Data;

/// <summary>
/// The forecasting task of a model: its kind, the horizon, whether a one-step model is applied Horizon times feeding
/// its predictions back (<see cref="Iterative"/>), and for sequence targets which time steps are kept
/// (<see cref="TargetStart"/>, <see cref="TargetStride"/>: Conv1D(kernel 4, strides 2) + GRU keeps Y[:, 3::2], its
/// output i having seen the inputs up to 2i + 3).
/// </summary>
public sealed record ForecastTask(ForecastKind Kind = ForecastKind.Vector, int Horizon = 1, bool Iterative = false, int TargetStart = 0, int TargetStride = 1)
{
    public const int MaxHorizon = 100;

    /// <summary>The horizon the model itself is trained on (1 when it is applied iteratively).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int TrainingHorizon => Iterative ? 1 : Horizon;

    /// <summary>The largest first kept target step and stride (a window is at most 1,000 steps).</summary>
    public const int MaxTargetStep = 1000;

    /// <summary>Checks the task on its own; whether its kept steps fit a window is <see cref="ValidateWindow"/>'s.</summary>
    public void Validate()
    {
        if (Horizon < 1 || Horizon > MaxHorizon)
            throw new InvalidInputException("horizon", $"{Horizon} is out of range; allowed 1..{MaxHorizon}");
        if (Iterative && Kind != ForecastKind.Vector)
            throw new InvalidInputException("model", "only a one-step vector model can be applied iteratively");
        if (TargetStart < 0 || TargetStart >= MaxTargetStep || TargetStride < 1 || TargetStride > MaxTargetStep)
            throw new InvalidInputException("model", $"target steps start {TargetStart}, stride {TargetStride}: allowed start 0..{MaxTargetStep - 1}, stride 1..{MaxTargetStep}");
    }

    /// <summary>
    /// A sequence task's kept target steps (start, start + stride, ...) must end at the last input step of a
    /// <paramref name="window"/>-step window, where its figure is taken: Conv1D(kernel 4, strides 2) + GRU keeps
    /// steps 3, 5, ..., so its window must be even. Throws <see cref="InvalidInputException"/> naming
    /// <paramref name="field"/>: --window, or --model where the window is fixed (the chapter's 50 steps).
    /// </summary>
    public void ValidateWindow(int window, string field = "window")
    {
        if (Kind != ForecastKind.Sequence || (TargetStart == 0 && TargetStride == 1)) return;
        if (window > TargetStart && (window - 1 - TargetStart) % TargetStride == 0) return;
        if (field != "window")
            throw new InvalidInputException(field,
                $"target steps start {TargetStart}, stride {TargetStride} do not end at the last input step {window - 1} of the {window}-step windows, where the forecast is read; allowed: ({window - 1} - start) divisible by stride");
        int below = window - 1 - TargetStart < 0 ? -1 : window - (window - 1 - TargetStart) % TargetStride;
        int above = window <= TargetStart ? TargetStart + 1 : below + TargetStride;
        string nearest = below > TargetStart ? $"{below} or {above}" : $"{above}";
        throw new InvalidInputException("window",
            $"{window} does not fit the model's strided targets: they start at step {TargetStart} and take every {Ordinal(TargetStride)}step "
            + $"(its Conv1D's stride), and must end at the window's last step ({window - 1}), where the forecast is read; "
            + $"allowed windows: {TargetStart + 1} + a multiple of {TargetStride}, e.g. {nearest}");
    }

    private static string Ordinal(int n) => n switch { 1 => "", 2 => "2nd ", 3 => "3rd ", _ => $"{n}th " };

    /// <summary>The data the model trains on.</summary>
    public DataSplit TrainingData(ISeriesSource source)
    {
        Validate();
        if (Kind == ForecastKind.Vector) return source.Vector(TrainingHorizon);
        var split = source.Sequence(Horizon);
        ValidateWindow(split.Train.Steps, source.WindowField);
        return TargetStart == 0 && TargetStride == 1 ? split : split with
        {
            Train = SequenceTargets.KeepSteps(split.Train, Horizon, TargetStart, TargetStride),
            Valid = SequenceTargets.KeepSteps(split.Valid, Horizon, TargetStart, TargetStride),
            Test = SequenceTargets.KeepSteps(split.Test, Horizon, TargetStart, TargetStride),
        };
    }

    /// <summary>The data the figure and the baselines are computed on: the next Horizon values after each window.</summary>
    public DataSplit EvaluationData(ISeriesSource source)
    {
        Validate();
        return source.Vector(Horizon);
    }
}
