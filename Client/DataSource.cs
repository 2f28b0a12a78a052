using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Client;

/// <summary>
/// Where a job's data comes from, as the user gave it: the chapter's generator (a seed), or a column of a CSV file
/// that this client reads and ships to the cluster (silos never open a path a client names).
/// </summary>
public sealed record DataSource(int DataSeed, string? CsvPath, string? Column, int Window, int[]? Differences = null)
{
    /// <summary>The job's data spec; bad input throws <see cref="InvalidInputException"/>.</summary>
    public DataSpec ToSpec()
    {
        if (CsvPath is null)
        {
            if (Column is not null) throw new InvalidInputException("--column", "given without --data; it names a column of the --data file");
            return new DataSpec(DataSeed, Differences: Differences);
        }
        if (Column is null) throw new InvalidInputException("--column", "missing: --data needs --column NAME");
        if (new FileInfo(CsvPath) is { Exists: true, Length: > 64L * 1024 * 1024 } big)
            throw new InvalidInputException("--data", $"{CsvPath} has {big.Length} bytes; allowed at most 64 MiB");
        // "temp_max,temp_min,wind": a multivariate input, forecasting the first column
        var names = Column.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (names.Length == 0) throw new InvalidInputException("--column", $"'{Column}' names no column");
        var columns = CsvSeries.ReadColumns(CsvPath, names);
        return new DataSpec(DataSeed, $"{Path.GetFileName(CsvPath)} column{(names.Length > 1 ? "s" : "")} {string.Join(",", names)}{(Differences is { Length: > 0 } ? $", differenced by {string.Join(" then ", Differences)}" : "")}",
            columns, Window, names, Differences);
    }
}
