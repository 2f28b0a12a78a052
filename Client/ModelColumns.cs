using RnnCluster.Numerics;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client;

/// <summary>
/// The columns of a CSV file a saved model reads, the one it forecasts first. A model trained on <c>--data</c> knows its
/// columns: a <c>--column</c> given with it must name the forecast one. A model of the chapter's series knows none:
/// <c>--column</c> names the one to read.
/// </summary>
public static class ModelColumns
{
    public static string[] Of(SavedModel saved, string? column, string file)
    {
        if (saved.Columns is not [var forecast, ..] columns)
            return [column ?? throw new InvalidInputException("--column", $"missing: the model was trained on the chapter's series, so name the column of {file} to forecast")];
        if (column is not null && !string.Equals(column, forecast, StringComparison.Ordinal))
            throw new InvalidInputException("--column", columns.Length == 1
                ? $"'{column}': the model was trained on column '{forecast}' (its scale and mean); give --column {forecast}"
                : $"'{column}': the model forecasts column '{forecast}' from {columns.Length} columns ({string.Join(", ", columns)}); give --column {forecast}");
        return columns;
    }
}
