namespace RnnCluster.Numerics.Classical;

/// <summary>The classical baselines of one series: their figures, the ARIMA model fitted on the training part and, when its order was chosen by AIC, every candidate.</summary>
public sealed record ClassicalResult(IReadOnlyList<ClassicalFigure> Figures, Arima Arima, ArimaSelection? Selection);
