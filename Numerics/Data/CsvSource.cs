namespace RnnCluster.Numerics.Data;

/// <summary>Windows of a CSV file's columns (column 0 is forecast), split in time order (see <see cref="SeriesWindows"/>).</summary>
public sealed class CsvSource(double[][] columns, int window, string name, IReadOnlyList<int>? differences = null) : ISeriesSource
{
    /// <summary>
    /// Windows of the columns, or with <paramref name="differences"/> of the differenced columns: the target's
    /// <see cref="DataSplit.Differencing"/> then undoes forecasts, and the windows' origins index the original series.
    /// </summary>
    public DataSplit Vector(int horizon)
    {
        if (differences is not { Count: > 0 }) return SeriesWindows.Create(columns, 0, window, horizon, name);
        var differencing = new Differencing(columns[0], differences);
        var split = SeriesWindows.Create([.. columns.Select(differencing.Apply)], 0, window, horizon, name + " (differenced)");
        foreach (var set in new[] { split.Train, split.Valid, split.Test })
            for (int i = 0; i < set.Origins!.Length; i++) set.Origins[i] += differencing.Dropped;
        return split with { Differencing = differencing };
    }

    public DataSplit Sequence(int horizon) =>
        throw new InvalidInputException("--model", "sequence-to-sequence models train on the chapter's series only for now; use a vector model (seq2vec-rnn, linear) with --data");
}
