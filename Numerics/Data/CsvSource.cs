namespace RnnCluster.Numerics.Data;

/// <summary>Windows of a CSV file's columns (column 0 is forecast), split in time order (see <see cref="SeriesWindows"/>).</summary>
public sealed class CsvSource(double[][] columns, int window, string name, IReadOnlyList<int>? differences = null) : ISeriesSource
{
    /// <summary>
    /// Windows of the columns, or with <c>differences</c> of the differenced columns: the target's
    /// <see cref="DataSplit.Differencing"/> then undoes forecasts, and the windows' origins index the original series.
    /// </summary>
    public DataSplit Vector(int horizon) => Windows(horizon, SeriesWindows.Create);

    /// <summary>The same windows as <see cref="Vector"/> with targets at every step (<see cref="SeriesWindows.CreateSequence"/>).</summary>
    public DataSplit Sequence(int horizon) => Windows(horizon, SeriesWindows.CreateSequence);

    public string WindowField => "window";

    private DataSplit Windows(int horizon, Func<double[][], int, int, int, string, DataSplit> create)
    {
        if (differences is not { Count: > 0 }) return create(columns, 0, window, horizon, name);
        var differencing = new Differencing(columns[0], differences);
        var split = create([.. columns.Select(differencing.Apply)], 0, window, horizon, name + " (differenced)");
        foreach (var set in new[] { split.Train, split.Valid, split.Test })
            for (int i = 0; i < set.Origins!.Length; i++) set.Origins[i] += differencing.Dropped;
        return split with { Differencing = differencing, TrainEnd = split.TrainEnd + differencing.Dropped };
    }
}
