namespace RnnCluster.Numerics.Data;

/// <summary>
/// Fills the gaps (NaN runs) of a series left to right with a forecaster's values: a gap starting at row s is
/// filled with the forecast from the <c>history</c> values before it (rows s - history .. s - 1; gaps filled earlier
/// count as values). A gap longer than the forecaster's horizon is filled step by step: forecast horizon values, put
/// them in, forecast again from the history that now ends with them, until the gap is full. A gap with fewer than
/// <c>history</c> values before it (the series' start, or an earlier gap that could not be filled, is closer) is left
/// as it is and reported in <see cref="ImputationResult.Unfilled"/>.
/// </summary>
public static class Imputation
{
    /// <summary>history [history values, the last one just before the forecast] -> forecast [horizon].</summary>
    public delegate double[] Forecaster(double[] history);

    /// <param name="series">[length]: NaN where a value is missing.</param>
    /// <param name="history">Values the forecaster needs before a forecast (at least 1).</param>
    /// <param name="horizon">Values it forecasts at once (at least 1).</param>
    /// <param name="forecast">The forecaster; it must return <paramref name="horizon"/> finite values.</param>
    public static ImputationResult Fill(ReadOnlySpan<double> series, int history, int horizon, Forecaster forecast)
    {
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentOutOfRangeException.ThrowIfLessThan(history, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var values = series.ToArray();
        var filled = new List<SeriesGap>();
        var unfilled = new List<SeriesGap>();
        int forecasts = 0;
        foreach (var gap in SeriesGap.Find(series))
        {
            if (gap.Start < history || HasGap(values, gap.Start - history, history))
            {
                unfilled.Add(gap);
                continue;
            }
            for (int t = gap.Start; t < gap.End; t += horizon)
            {
                double[] next = forecast(values[(t - history)..t]);
                forecasts++;
                if (next.Length != horizon || next.Any(v => !double.IsFinite(v)))
                    throw new InvalidOperationException($"the forecaster returned {next.Length} values (expected {horizon} finite ones) at row {t}");
                for (int k = 0; k < horizon && t + k < gap.End; k++) values[t + k] = next[k];
            }
            filled.Add(gap);
        }
        return new ImputationResult(values, filled, unfilled, horizon, forecasts);
    }

    private static bool HasGap(double[] values, int start, int length)
    {
        for (int t = start; t < start + length; t++)
            if (double.IsNaN(values[t])) return true;
        return false;
    }
}
