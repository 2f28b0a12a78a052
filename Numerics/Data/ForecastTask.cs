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

    public void Validate()
    {
        if (Horizon < 1 || Horizon > MaxHorizon)
            throw new InvalidInputException("--horizon", $"{Horizon} is out of range; allowed 1..{MaxHorizon}");
        if (Iterative && Kind != ForecastKind.Vector)
            throw new InvalidInputException("--model", "only a one-step vector model can be applied iteratively");
        if (TargetStart < 0 || TargetStart >= ChapterSeries.InputSteps || TargetStride < 1 || TargetStride > ChapterSeries.InputSteps)
            throw new InvalidInputException("--model", $"target steps start {TargetStart}, stride {TargetStride}: allowed start 0..{ChapterSeries.InputSteps - 1}, stride 1..{ChapterSeries.InputSteps}");
        // the figure of a sequence model is taken at its last kept step, which must be the last input step
        if (Kind == ForecastKind.Sequence && (ChapterSeries.InputSteps - 1 - TargetStart) % TargetStride != 0)
            throw new InvalidInputException("--model", $"target steps start {TargetStart}, stride {TargetStride} do not end at the last input step {ChapterSeries.InputSteps - 1}; allowed: ({ChapterSeries.InputSteps - 1} - start) divisible by stride");
    }

    /// <summary>The data the model trains on.</summary>
    public DataSplit TrainingData(ISeriesSource source)
    {
        Validate();
        if (Kind == ForecastKind.Vector) return source.Vector(TrainingHorizon);
        var split = source.Sequence(Horizon);
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
