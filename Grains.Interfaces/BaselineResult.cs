namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The baselines of one data split of a sweep (its trials' window, horizon and differencing): the linear model's job
/// and, once it finished, the naive forecast's and the linear model's validation and test MSE on that split, how the
/// linear model was fitted when not by Adam (LinearFit: "least squares", on a CSV series), and the classical baselines'
/// figures on a CSV series.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.BaselineResult")]
public sealed record BaselineResult(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Split,
    [property: Id(2)] int Horizon,
    [property: Id(3)] double? NaiveValidMse = null,
    [property: Id(4)] double? NaiveTestMse = null,
    [property: Id(5)] double? LinearValidMse = null,
    [property: Id(6)] double? LinearTestMse = null,
    [property: Id(7)] string? LinearFit = null,
    [property: Id(8)] ClassicalRow[]? Classical = null)
{
    public bool IsFinished => LinearValidMse is not null;
}
