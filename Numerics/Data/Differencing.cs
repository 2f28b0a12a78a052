namespace RnnCluster.Numerics.Data;

/// <summary>
/// Differencing to remove trend and season before training (x_t - x_{t-period}, once per period given, in order),
/// and its undoing on forecasts so that they and their MSE are in the series' own units. A forecast h steps ahead
/// adds back the value one period earlier: the actual value where that lies in the known past, and beyond a period
/// the forecast's own earlier value, never an actual future value.
/// </summary>
public sealed class Differencing
{
    private readonly int[] _periods;
    private readonly double[][] _levels; // [periods + 1][length]: level 0 the series, level i differenced i times (NaN where undefined)

    public Differencing(double[] series, IReadOnlyList<int> periods)
    {
        _periods = [.. periods];
        int dropped = 0;
        foreach (int p in _periods)
        {
            if (p < 1) throw new InvalidInputException("difference", $"period {p} is not allowed; a period is at least 1 step");
            dropped += p;
        }
        if (dropped >= series.Length)
            throw new InvalidInputException("difference", $"periods {string.Join(", ", _periods)} remove {dropped} values of a series of {series.Length}; allowed fewer in all");
        Dropped = dropped;
        _levels = new double[_periods.Length + 1][];
        _levels[0] = series;
        for (int i = 0; i < _periods.Length; i++) _levels[i + 1] = Difference(_levels[i], _periods[i]);
    }

    /// <summary>Values lost at the start: the sum of the periods.</summary>
    public int Dropped { get; }


    /// <summary>Differences another column the same way, without its first <see cref="Dropped"/> values.</summary>
    public double[] Apply(double[] column)
    {
        var level = column;
        foreach (int p in _periods) level = Difference(level, p);
        return level[Dropped..];
    }

    /// <summary>
    /// forecast: the differenced series' values predicted at series indices origin .. origin + h - 1 (everything before
    /// origin is known) -> the forecast of the series itself at those indices.
    /// </summary>
    public double[] Undo(int origin, ReadOnlySpan<double> forecast)
    {
        int h = forecast.Length;
        var current = forecast.ToArray();
        for (int i = _periods.Length; i >= 1; i--)
        {
            int p = _periods[i - 1];
            var below = _levels[i - 1];
            var undone = new double[h];
            for (int k = 0; k < h; k++)
            {
                int back = origin + k - p;
                undone[k] = current[k] + (back < origin ? below[back] : undone[k - p]);
            }
            current = undone;
        }
        return current;
    }

    /// <summary>The series' actual value at an index.</summary>
    public double Original(int index) => _levels[0][index];

    private static double[] Difference(double[] x, int period)
    {
        var d = new double[x.Length];
        for (int t = 0; t < x.Length; t++) d[t] = t < period ? double.NaN : x[t] - x[t - period];
        return d;
    }
}
