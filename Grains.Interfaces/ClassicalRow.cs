namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One classical baseline's figures on a job's validation and test windows, in the series' units. Method:
/// seasonal-naive, wma or arima; Settings: what was used, e.g. "season 365", "n 5, weights 1..5", "ARIMA(2,1,1), by AIC ...".
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.ClassicalRow")]
public sealed record ClassicalRow(
    string Method,
    string Settings,
    double ValidMse,
    double TestMse)
{
    /// <summary>The row's name in a table: "seasonal naive (season 12)", "weighted moving average (n 5, ...)", "ARIMA(2,1,1), by AIC ...".</summary>
    public string Name => Method switch
    {
        "seasonal-naive" => $"seasonal naive ({Settings})",
        "wma" => $"weighted moving average ({Settings})",
        _ => Settings,
    };
}
