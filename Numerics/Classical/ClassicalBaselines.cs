using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Classical;

/// <summary>
/// The classical baselines on exactly the windows the networks use: for every validation and test window of a
/// <see cref="DataSplit"/> (its <see cref="Dataset.Origins"/>, indices of each window's first target in the series),
/// each method forecasts the next horizon values and its MSE over them is taken in the series' own units, against the
/// series' actual values. The methods work on the original series, whatever differencing the networks' split uses.
/// <list type="bullet">
/// <item>seasonal naive: from everything known before the origin (needs season &lt;= the training part);</item>
/// <item>weighted moving average: from the window's last n values;</item>
/// <item>ARIMA: fitted once on the training part (the values before the validation segment), then conditioned on
/// each window's values only (see <see cref="Arima"/>).</item>
/// </list>
/// A series with gaps (NaN): the split's windows hold none, so every method is measured on the windows the networks
/// kept; seasonal naive steps back a further season over a gap, and ARIMA's fit treats gaps as missing observations.
/// </summary>
public static class ClassicalBaselines
{
    /// <summary>On windows of <paramref name="window"/> steps and the next <paramref name="horizon"/> values, split 70/20/10 as <see cref="SeriesWindows"/> does.</summary>
    public static ClassicalResult Evaluate(double[] series, int window, int horizon, ClassicalOptions options) =>
        Evaluate(series, SeriesWindows.Create([series], 0, window, horizon, "the series"), options);

    /// <param name="series">[length] the target column in its own units (undifferenced).</param>
    /// <param name="split">The networks' evaluation split of that column (vector targets of horizon values).</param>
    public static ClassicalResult Evaluate(double[] series, DataSplit split, ClassicalOptions options)
    {
        ArgumentNullException.ThrowIfNull(series);
        ArgumentNullException.ThrowIfNull(split);
        ArgumentNullException.ThrowIfNull(options);
        int[] train = split.Train.Origins ?? throw new ArgumentException("the split holds no window origins", nameof(split));
        int window = split.Valid.Steps, horizon = split.Valid.TargetSize;
        // the training segment ends after its last window's last target (when no gap left that window out)
        int trainEnd = split.TrainEnd ?? train[^1] + horizon;
        foreach (var set in new[] { split.Valid, split.Test })
            if (set.Origins is not { Length: > 0 } origins || origins[0] < window || origins[^1] + horizon > series.Length)
                throw new ArgumentException("the split's windows do not lie in the series", nameof(split));

        var figures = new List<ClassicalFigure>();
        if (options.Season is { } season)
        {
            if (season < 1 || season > trainEnd)
                throw new InvalidInputException("season", $"{season} is not allowed; a season is 1 step up to the training part's {trainEnd} values");
            figures.Add(Figure("seasonal-naive", $"season {season}", series, split, window, horizon, past: true,
                (history, forecast) => SeasonalNaive.Forecast(history, season, forecast)));
        }

        int n = options.MovingAverageLength ?? Math.Min(WeightedMovingAverage.DefaultLength, window);
        WeightedMovingAverage.Average(new double[window], n); // checks n against the window before any work
        figures.Add(Figure("wma", $"n {n}, weights 1..{n}", series, split, window, horizon, past: false,
            (history, forecast) => WeightedMovingAverage.Forecast(history, n, forecast)));

        var trainValues = series.AsSpan(0, trainEnd);
        ArimaSelection? selection = null;
        Arima arima;
        if (options.Order is { } order) arima = Arima.Fit(trainValues, order);
        else
        {
            selection = ArimaSelection.Select(trainValues, options.D);
            arima = selection.Best;
        }
        string how = selection is null ? "given" : $"by AIC over p 0..{ArimaSelection.DefaultMaxP}, d {(options.D is { } d ? d : "0..1")}, q 0..{ArimaSelection.DefaultMaxQ}";
        figures.Add(Figure("arima", $"ARIMA{arima.Order}, {how}", series, split, window, horizon, past: false, arima.Forecast));
        return new ClassicalResult(figures, arima, selection);
    }

    /// <summary>A method's forecast: history (the window, or everything before the origin) -> forecast [horizon].</summary>
    public delegate void Forecaster(ReadOnlySpan<double> history, Span<double> forecast);

    private static ClassicalFigure Figure(string method, string settings, double[] series, DataSplit split, int window, int horizon, bool past, Forecaster forecaster) =>
        new(method, settings, Mse(series, split.Valid.Origins!, window, horizon, past, forecaster), Mse(series, split.Test.Origins!, window, horizon, past, forecaster));

    /// <summary>
    /// The mean over windows and steps of (forecast - actual)^2: for each origin o, the forecast of series[o .. o + horizon - 1]
    /// from series[o - window .. o - 1] (or from series[0 .. o - 1] when <paramref name="past"/>).
    /// </summary>
    public static double Mse(double[] series, int[] origins, int window, int horizon, bool past, Forecaster forecaster)
    {
        var forecast = new double[horizon];
        double sum = 0;
        foreach (int origin in origins)
        {
            var history = past ? series.AsSpan(0, origin) : series.AsSpan(origin - window, window);
            forecaster(history, forecast);
            for (int k = 0; k < horizon; k++)
            {
                double d = forecast[k] - series[origin + k];
                sum += d * d;
            }
        }
        return sum / (origins.Length * (double)horizon);
    }
}
