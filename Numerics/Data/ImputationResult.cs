namespace RnnCluster.Numerics.Data;

/// <summary>
/// A series with its gaps filled (<see cref="Imputation.Fill"/>): <see cref="Series"/> [length], the gaps filled and
/// those left (NaN still), the forecaster's horizon and how many forecasts were made.
/// </summary>
public sealed record ImputationResult(double[] Series, IReadOnlyList<SeriesGap> Filled, IReadOnlyList<SeriesGap> Unfilled, int Horizon, int Forecasts)
{
    public int FilledValues => Filled.Sum(g => g.Length);

    public int UnfilledValues => Unfilled.Sum(g => g.Length);

    /// <summary>Filled gaps longer than the horizon: filled step by step from the forecaster's own forecasts.</summary>
    public int LongerThanHorizon => Filled.Count(g => g.Length > Horizon);
}
