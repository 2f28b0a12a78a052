namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The classical baselines a job computes beside its training, on a CSV series only (<see cref="JobSpec.Classical"/>):
/// the seasonal naive forecast when <see cref="Season"/> is set, the weighted moving average of
/// <see cref="MovingAverageLength"/> values (null: the default length), and ARIMA of order <see cref="ArimaOrder"/>
/// ("p,d,q"; null: chosen by AIC on the training part).
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.ClassicalSpec")]
public sealed record ClassicalSpec(
    int? Season = null,
    int? MovingAverageLength = null,
    string? ArimaOrder = null);
