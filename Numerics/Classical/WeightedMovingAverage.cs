namespace RnnCluster.Numerics.Classical;

/// <summary>
/// The linearly weighted moving average: the mean of the last n values with weights 1, 2, .., n (the most recent
/// value weighs n), i.e. sum_{i=1..n} i * x[t - n + i] / (n (n + 1) / 2); the forecast is that value for every
/// step ahead (a flat forecast).
/// </summary>
public static class WeightedMovingAverage
{
    /// <summary>The default n: the last 5 values.</summary>
    public const int DefaultLength = 5;

    /// <param name="window">[length]: the known values before the forecast, the last one x[t]; at least <paramref name="length"/> of them.</param>
    /// <param name="length">n, the number of values averaged (at least 1).</param>
    /// <param name="forecast">[h]: receives the average at every step.</param>
    public static void Forecast(ReadOnlySpan<double> window, int length, Span<double> forecast) =>
        forecast.Fill(Average(window, length));

    /// <summary>The weighted average of the last <paramref name="length"/> values of <paramref name="window"/>.</summary>
    public static double Average(ReadOnlySpan<double> window, int length)
    {
        if (length < 1)
            throw new InvalidInputException("wma", $"{length} is not allowed; the moving average needs at least 1 value");
        if (window.Length < length)
            throw new InvalidInputException("wma", $"{length} values averaged, but the window holds {window.Length}; allowed 1..{window.Length}");
        var last = window[^length..];
        double sum = 0;
        for (int i = 0; i < length; i++) sum += (i + 1) * last[i];
        return sum / (length * (length + 1) / 2.0);
    }
}
