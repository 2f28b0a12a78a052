using RnnCluster.Numerics;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Client;

/// <summary>Where a training run's data comes from: the chapter's generator (a seed), or a column of a CSV file.</summary>
public sealed record DataSource(int DataSeed, string? CsvPath, string? Column, int Window)
{
    public const int MaxWindow = 1000;

    public string Describe() => CsvPath is null
        ? $"chapter series, data seed {DataSeed}, one step ahead"
        : $"{Path.GetFileName(CsvPath)} column {Column}, window {Window}, one step ahead";

    /// <summary>Builds the train/valid/test split; bad input throws <see cref="InvalidInputException"/>.</summary>
    public DataSplit Load()
    {
        if (CsvPath is null)
        {
            if (Column is not null) throw new InvalidInputException("--column", "given without --data; it names a column of the --data file");
            if (DataSeed < 0) throw new InvalidInputException("--data-seed", $"{DataSeed} is negative; allowed 0..{int.MaxValue}");
            return ChapterSeries.OneStep(DataSeed);
        }
        if (Column is null) throw new InvalidInputException("--column", "missing: --data needs --column NAME");
        if (Window < 1 || Window > MaxWindow) throw new InvalidInputException("--window", $"{Window} is out of range; allowed 1..{MaxWindow}");
        var columns = CsvSeries.ReadColumns(CsvPath, [Column]);
        return SeriesWindows.Create(columns, 0, Window, 1, Path.GetFileName(CsvPath));
    }
}
