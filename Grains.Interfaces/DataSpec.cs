namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The data of a job. For the chapter's series it is just the generator seed (every silo draws the same series).
/// Differences: periods to difference the series by before training (x_t - x_{t-p}, in order; forecasts are undone).
/// For a CSV file the client reads the file and ships the values of the chosen columns once (silos never open a path
/// a client names): <see cref="Columns"/> is [columns][rows], predicting column 0, windows of <see cref="Window"/> steps.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.DataSpec")]
public sealed record DataSpec(
    int DataSeed,
    string? SourceName = null,
    double[][]? Columns = null,
    int Window = DataSpec.DefaultWindow,
    string[]? ColumnNames = null,
    int[]? Differences = null)
{
    /// <summary>The window of a CSV series when none is given (<c>train --window</c>, a sweep spec's <c>data.window</c>).</summary>
    public const int DefaultWindow = 50;

    /// <summary>At most this many values in all shipped columns together (8 MB of doubles).</summary>
    public const int MaxValues = 1_000_000;

    public bool IsChapter => Columns is null;

    public string Describe() => IsChapter
        ? $"chapter series, data seed {DataSeed}"
        : $"{SourceName} ({Columns!.Length} column(s), {Columns[0].Length} rows), window {Window}";
}
