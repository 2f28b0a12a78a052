namespace RnnCluster.Numerics.Training;

/// <summary>
/// The outcome of a training run: the final weights (the best epoch's when early stopping restored them),
/// the per-epoch history, and the MSEs of the final weights: the measure of the reported figure
/// (<see cref="Evaluator.ForecastMse"/>), in the data's units (multiply by the split's TargetScale squared for the
/// series' units).
/// </summary>
public sealed record TrainingResult(float[] Parameters, IReadOnlyList<EpochReport> History, int BestEpoch, double ValidMse, double TestMse)
{
    /// <summary>How the weights were fitted when not by Adam: "least squares", with the ridge when one was needed; null for Adam.</summary>
    public string? Fit { get; init; }

    public string WeightsHash => Training.WeightsHash.Of(Parameters);
}
