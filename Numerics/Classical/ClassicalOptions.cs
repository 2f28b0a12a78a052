namespace RnnCluster.Numerics.Classical;

/// <summary>
/// Settings of the classical baselines. <paramref name="Season"/>: steps per season for the seasonal naive forecast
/// (null: no seasonal naive). <paramref name="MovingAverageLength"/>: n of the weighted moving average (null:
/// <see cref="WeightedMovingAverage.DefaultLength"/>, or the window when it is shorter). <paramref name="Order"/>: the
/// ARIMA order (null: chosen by AIC over p 0..3, q 0..2 and d in 0..1, or d = <paramref name="D"/> when given).
/// </summary>
public sealed record ClassicalOptions(int? Season = null, int? MovingAverageLength = null, ArimaOrder? Order = null, int? D = null);
