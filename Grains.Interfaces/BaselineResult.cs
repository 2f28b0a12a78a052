namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The baselines of one data split of a sweep (its trials' window, horizon and differencing): the linear model's job
/// and, once it finished, the naive forecast's and the linear model's validation and test MSE on that split, how the
/// linear model was fitted when not by Adam (LinearFit: "least squares", on a CSV series), and the classical baselines'
/// figures on a CSV series.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.BaselineResult")]
public sealed record BaselineResult(
    string JobId,
    string Split,
    int Horizon,
    double? NaiveValidMse = null,
    double? NaiveTestMse = null,
    double? LinearValidMse = null,
    double? LinearTestMse = null,
    string? LinearFit = null,
    ClassicalRow[]? Classical = null)
{
    public bool IsFinished => LinearValidMse is not null;
}
