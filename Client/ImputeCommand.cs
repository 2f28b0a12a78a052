using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster impute --model FILE --data FILE.csv --column NAME --out FILLED.csv</c>: fills every gap (empty cell)
/// of a column with a model saved by <c>train --save</c>, left to right, each from the model's forecast after the
/// <c>window</c> values before it (<see cref="Imputation"/>; predict's forecasting path, differencing and
/// standardisation undone), and writes a copy of the file in which only those cells changed (<see cref="CsvCells"/>).
/// A gap with fewer than the window's values before it (the file's start or an unfilled gap is closer) stays empty and
/// is listed. A model of several columns (trained with <c>--column a,b,...</c>) fills its first column, the one it
/// forecasts, reading the others' rows before each forecast as they are; a gap whose forecasts would read a gap of
/// another column stays empty and is listed too. Runs in the client; needs no cluster.
/// </summary>
public static class ImputeCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model") { Description = "A model file written by train --save (trained on the column to fill, first if several)", Required = true };
        var data = new Option<string>("--data") { Description = "CSV file whose empty cells in --column are the gaps to fill", Required = true };
        var column = new Option<string>("--column") { Description = "The column to fill: the one the model was trained on (the first, for a model of several)", Required = true };
        var outFile = new Option<string>("--out") { Description = "Where to write the filled copy of --data (not --data itself)", Required = true };
        var json = new Option<bool>("--json") { Description = "Print what was filled as JSON" };
        var command = new Command("impute", "Fill the gaps (empty cells) of a CSV column with a saved model's forecasts.") { model, data, column, outFile, json };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(data)!, name = parse.GetValue(column)!.Trim(), target = parse.GetValue(outFile)!;
            if (string.Equals(Path.GetFullPath(path), Path.GetFullPath(target), StringComparison.Ordinal))
                throw new InvalidInputException("--out", $"'{target}' is the --data file; write the filled copy to another file");
            var saved = SavedModel.Read(parse.GetValue(model)!);
            var names = ModelColumns.Of(saved, name, Path.GetFileName(path));
            var series = CsvSeries.ReadColumn(path, name);
            var inputColumns = names[1..].Select(other => CsvSeries.ReadColumn(path, other)).ToList();
            var result = Imputation.Fill(series, inputColumns, saved.HistoryLength, saved.Task.Horizon, histories => saved.Forecast(histories, path));
            var cells = new Dictionary<int, string>();
            foreach (var gap in result.Filled)
                for (int row = gap.Start; row < gap.End; row++) cells[row] = result.Series[row].ToString("R", CultureInfo.InvariantCulture);
            byte[] content;
            try
            {
                content = File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException("--data", $"cannot read '{path}': {e.Message}");
            }
            var filled = CsvCells.FillEmpty(content, name, cells, path);
            try
            {
                if (Path.GetDirectoryName(Path.GetFullPath(target)) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
                File.WriteAllBytes(target, filled);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new InvalidInputException("--out", $"cannot write '{target}': {e.Message}");
            }

            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(new
                {
                    model = saved.Model,
                    column = name,
                    inputs = saved.Columns ?? [name],
                    @out = target,
                    horizon = result.Horizon,
                    history = saved.HistoryLength,
                    filled_gaps = result.Filled.Count,
                    filled_values = result.FilledValues,
                    longer_than_horizon = result.LongerThanHorizon,
                    forecasts = result.Forecasts,
                    unfilled = result.Unfilled.Select(g => new { first_line = Line(g.Start), last_line = Line(g.End - 1) }),
                }, JsonStyle.Line));
            else
                foreach (string line in Describe(saved, name, path, target, result)) output.WriteLine(line);
            return Cli.Done;
        });
        return command;
    }

    /// <summary>The file's line of a data row (0-based; the header is line 1).</summary>
    private static int Line(int row) => row + 2;

    private static IEnumerable<string> Describe(SavedModel saved, string column, string path, string target, ImputationResult result)
    {
        string file = Path.GetFileName(path);
        int gaps = result.Filled.Count + result.Unfilled.Count;
        if (gaps == 0)
        {
            yield return $"no gaps (empty cells) in column {column} of {file}; wrote an unchanged copy to {target}";
            yield break;
        }
        string values = saved.Columns is { Length: > 1 } columns ? $"rows of {string.Join(", ", columns)}" : "values";
        string before = saved.Differences is { Length: > 0 }
            ? $"the {saved.HistoryLength} {values} before each ({saved.Window} after differencing by {string.Join(" then ", saved.Differences)})"
            : $"the {saved.HistoryLength} {values} before each";
        yield return $"filled {Count(result.Filled.Count, "gap")} ({Count(result.FilledValues, "value")}) of {Count(gaps, "gap")} in column {column} of {file} "
            + $"with {saved.Model}'s forecasts of the next {saved.Task.Horizon} from {before}, left to right ({Count(result.Forecasts, "forecast")})";
        if (result.LongerThanHorizon > 0)
            yield return $"{Count(result.LongerThanHorizon, "gap")} longer than the model's horizon of {result.Horizon}: filled step by step, each forecast from the one before it";
        if (result.Unfilled.Count > 0)
            yield return $"not filled: {Count(result.Unfilled.Count, "gap")} ({Count(result.UnfilledValues, "value")}) with fewer than {saved.HistoryLength} known values before it "
                + $"({Closer(saved)} is closer), left empty: lines {string.Join(", ", result.Unfilled.Select(g => g.Length == 1 ? $"{Line(g.Start)}" : $"{Line(g.Start)}-{Line(g.End - 1)}"))}";
        yield return $"wrote {target} (every other byte as in {file})";
    }

    // what can stand too close before a gap to fill it
    private static string Closer(SavedModel saved) => saved.Columns is { Length: > 1 } columns
        ? $"the file's start, an unfilled gap or a gap in {string.Join(" or ", columns[1..])}"
        : "the file's start or an unfilled gap";

    private static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
}
