namespace RnnCluster.Numerics.Classical;

/// <summary>
/// The seasonal naive forecast: each future value equals the value one season earlier. After a history ending at
/// x[t], the forecast k steps ahead (k = 1..h) is x[t + k - season]; beyond one season the last season repeats
/// (x[t + 1 - season + ((k - 1) mod season)]). With season 1 it is the naive forecast (repeat the last value).
/// Where that value is a gap (NaN), the value a whole season before it is taken, and so on (NaN if every one is a gap).
/// </summary>
public static class SeasonalNaive
{
    /// <param name="history">[length]: the series' known values up to the forecast origin, the last one x[t]; at least <paramref name="season"/> of them.</param>
    /// <param name="season">Steps in one season (at least 1).</param>
    /// <param name="forecast">[h]: receives x^[t+1] .. x^[t+h].</param>
    public static void Forecast(ReadOnlySpan<double> history, int season, Span<double> forecast)
    {
        if (season < 1)
            throw new InvalidInputException("season", $"{season} is not allowed; a season is at least 1 step");
        if (history.Length < season)
            throw new InvalidInputException("season", $"{season} is longer than the {history.Length} known values before the forecast; the seasonal naive forecast needs one whole season of history");
        int first = history.Length - season;
        for (int k = 0; k < forecast.Length; k++)
        {
            int at = first + k % season;
            while (at >= season && double.IsNaN(history[at])) at -= season; // a gap: the same point of an earlier season
            forecast[k] = history[at];
        }
    }
}
