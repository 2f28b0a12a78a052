namespace RnnCluster.Numerics.Data;

/// <summary>
/// Fills the gaps (NaN runs) of a series left to right with a forecaster's values: a gap starting at row s is
/// filled with the forecast from the <c>history</c> values before it (rows s - history .. s - 1; gaps filled earlier
/// count as values). A gap longer than the forecaster's horizon is filled step by step: forecast horizon values, put
/// them in, forecast again from the history that now ends with them, until the gap is full. A forecaster of several
/// columns (the series first, then the model's other inputs) also reads the other columns' rows before each forecast,
/// as they are. A gap is left as it is, and reported in <see cref="ImputationResult.Unfilled"/>, when one of its
/// forecasts would lack a value: fewer than <c>history</c> rows before it (the series' start is closer), an earlier
/// gap that could not be filled, or a gap of another column among the rows it reads.
/// </summary>
public static class Imputation
{
    /// <summary>
    /// histories: [columns][history values] (column 0 the series, the last value just before the forecast) ->
    /// forecast of the series [horizon].
    /// </summary>
    public delegate double[] Forecaster(double[][] histories);

    /// <param name="series">[length]: NaN where a value is missing.</param>
    /// <param name="others">[columns - 1][length]: the forecaster's other input columns (NaN where missing; none for a
    /// forecaster of the series alone).</param>
    /// <param name="history">Values the forecaster needs before a forecast (at least 1).</param>
    /// <param name="horizon">Values it forecasts at once (at least 1).</param>
    /// <param name="forecast">The forecaster; it must return <paramref name="horizon"/> finite values.</param>
    public static ImputationResult Fill(ReadOnlySpan<double> series, IReadOnlyList<double[]> others, int history, int horizon, Forecaster forecast)
    {
        ArgumentNullException.ThrowIfNull(others);
        ArgumentNullException.ThrowIfNull(forecast);
        ArgumentOutOfRangeException.ThrowIfLessThan(history, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        foreach (var column in others)
            if (column.Length != series.Length)
                throw new ArgumentException($"another column has {column.Length} values where the series has {series.Length}", nameof(others));
        var values = series.ToArray();
        var filled = new List<SeriesGap>();
        var unfilled = new List<SeriesGap>();
        int forecasts = 0;
        foreach (var gap in SeriesGap.Find(series))
        {
            // the rows the gap's forecasts read: from history before its first to the row before its last
            int last = gap.Start + (gap.Length - 1) / horizon * horizon;
            if (gap.Start < history || HasGap(values, gap.Start - history, history)
                || others.Any(column => HasGap(column, gap.Start - history, last - gap.Start + history)))
            {
                unfilled.Add(gap);
                continue;
            }
            for (int t = gap.Start; t < gap.End; t += horizon)
            {
                double[][] histories = [values[(t - history)..t], .. others.Select(column => column[(t - history)..t])];
                double[] next = forecast(histories);
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
