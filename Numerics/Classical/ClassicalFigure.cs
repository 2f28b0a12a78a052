namespace RnnCluster.Numerics.Classical;

/// <summary>One classical baseline's MSE over the validation and test windows, in the series' own units.</summary>
/// <param name="Method">seasonal-naive, wma or arima.</param>
/// <param name="Settings">What was used, for a table: e.g. "season 12", "n 5", "ARIMA(2,1,1), by AIC".</param>
public sealed record ClassicalFigure(string Method, string Settings, double ValidMse, double TestMse);
