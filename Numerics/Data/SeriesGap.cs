namespace RnnCluster.Numerics.Data;

/// <summary>A run of consecutive gaps (NaN values) in a series: rows <see cref="Start"/> .. <see cref="Start"/> + <see cref="Length"/> - 1 (0-based).</summary>
public readonly record struct SeriesGap(int Start, int Length)
{
    /// <summary>The row after the gap's last.</summary>
    public int End => Start + Length;

    /// <summary>The gaps of a series, in order: every maximal run of NaN values.</summary>
    public static IReadOnlyList<SeriesGap> Find(ReadOnlySpan<double> series)
    {
        var gaps = new List<SeriesGap>();
        for (int t = 0; t < series.Length; t++)
        {
            if (!double.IsNaN(series[t])) continue;
            int start = t;
            while (t + 1 < series.Length && double.IsNaN(series[t + 1])) t++;
            gaps.Add(new SeriesGap(start, t + 1 - start));
        }
        return gaps;
    }
}
