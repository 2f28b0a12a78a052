using System.Globalization;
using System.Text;

namespace RnnCluster.Numerics.Data;

/// <summary>
/// Reads numeric columns of a comma-separated file with a header row, in file order (one value per data row), so
/// each column is a time series. Numbers use the invariant culture (<c>12.5</c>, <c>-3e2</c>); fields may be quoted
/// with double quotes (a quoted field may hold commas, <c>""</c> is a quote). Blank lines at the end are ignored.
/// Everything the user can get wrong throws <see cref="InvalidInputException"/>: a missing or unreadable file
/// (<c>--data</c>), a row with the wrong number of fields (<c>--data</c>), a missing column, or a cell that is not
/// a finite number (<c>--column</c>). An empty cell (nothing but spaces, quoted or not) is a gap: it reads as NaN
/// (<see cref="IsGap"/>), which the windows skip (<see cref="SeriesWindows"/>) and <c>impute</c> fills.
/// </summary>
public static class CsvSeries
{
    /// <summary>Reads one column; see <see cref="ReadColumns"/>.</summary>
    /// <returns>[rows]</returns>
    public static double[] ReadColumn(string path, string column) => ReadColumns(path, [column])[0];

    /// <summary>Reads the named columns, in the order asked for.</summary>
    /// <returns>[columns.Count][rows]: one array per requested column, all of the same length; NaN where a cell is empty (a gap).</returns>
    public static double[][] ReadColumns(string path, IReadOnlyList<string> columns)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(columns);
        string fileName = Path.GetFileName(path);
        if (columns.Count == 0)
            throw new InvalidInputException("column", $"no column given for {fileName}; name at least one column");

        string[] lines = ReadLines(path);
        int lineCount = lines.Length;
        while (lineCount > 0 && lines[lineCount - 1].Length == 0)
            lineCount--;
        if (lineCount == 0)
            throw new InvalidInputException("data", $"'{path}' is empty; expected a header row of column names followed by rows of numbers");

        List<string> header = Header(lines[0], path);

        var indices = new int[columns.Count];
        for (int c = 0; c < columns.Count; c++)
            indices[c] = FindColumn(header, columns[c], fileName);

        if (lineCount == 1)
            throw new InvalidInputException("data", $"'{path}' has a header row but no data rows");

        int rows = lineCount - 1;
        var result = new double[columns.Count][];
        for (int c = 0; c < columns.Count; c++)
            result[c] = new double[rows];

        for (int r = 0; r < rows; r++)
        {
            int lineNumber = r + 2; // 1-based, the header is line 1
            List<string> fields = SplitLine(lines[r + 1], path, lineNumber);
            if (fields.Count != header.Count)
                throw new InvalidInputException("data",
                    $"line {lineNumber} of {fileName} has {fields.Count} field(s) but the header has {header.Count}; every row needs one field per column");
            for (int c = 0; c < columns.Count; c++)
                result[c][r] = ParseCell(fields[indices[c]], header[indices[c]], lineNumber, fileName);
        }
        return result;
    }

    private static string[] ReadLines(string path)
    {
        if (!File.Exists(path))
            throw new InvalidInputException("data", $"file '{path}' not found; give the path of an existing CSV file");
        try
        {
            CheckText(path);
            return File.ReadAllLines(path, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException("data", $"cannot read '{path}': {e.Message}");
        }
    }

    // a binary file (an executable, a spreadsheet, a zip) holds NUL or other control bytes near its start; text never does
    private static void CheckText(string path)
    {
        using var file = File.OpenRead(path);
        var start = new byte[4096];
        int read = file.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        for (int i = 0; i < read; i++)
        {
            byte b = start[i];
            if (b == 0 || (b < 0x20 && b is not ((byte)'\t' or (byte)'\n' or (byte)'\r' or 0x0c)))
                throw new InvalidInputException("data",
                    $"'{path}' is not a text file (byte 0x{b:x2} at offset {i}); expected a CSV file: a header row of column names followed by rows of numbers");
        }
    }

    /// <summary>The column names of a header line (trimmed, a byte order mark removed).</summary>
    internal static List<string> Header(string line, string path)
    {
        List<string> header = SplitLine(line, path, 1);
        for (int h = 0; h < header.Count; h++)
            header[h] = header[h].Trim();
        if (header.Count > 0 && header[0].Length > 0 && header[0][0] == '\uFEFF')
            header[0] = header[0][1..].Trim();
        return header;
    }

    internal static int FindColumn(List<string> header, string column, string fileName)
    {
        ArgumentNullException.ThrowIfNull(column);
        int found = -1;
        for (int h = 0; h < header.Count; h++)
        {
            if (!string.Equals(header[h], column.Trim(), StringComparison.Ordinal))
                continue;
            if (found >= 0)
                throw new InvalidInputException("column",
                    $"column '{column}' appears more than once in the header of {fileName}; columns are {string.Join(", ", header)}");
            found = h;
        }
        if (found < 0)
            throw new InvalidInputException("column",
                $"column '{column}' not found in {fileName}; columns are {string.Join(", ", header)}{OtherSeparator(header)}");
        return found;
    }

    // a header of one field that holds semicolons or tabs: the file is separated by them, not by commas
    private static string OtherSeparator(List<string> header) =>
        header.Count != 1 ? ""
        : header[0].Contains(';') ? " (one column: the header is separated by semicolons; the file must be separated by commas)"
        : header[0].Contains('\t') ? " (one column: the header is separated by tabs; the file must be separated by commas)"
        : "";

    /// <summary>Whether a cell's text (quotes removed) is empty, i.e. a gap.</summary>
    public static bool IsGap(string cell) => cell.Trim().Length == 0;

    private static double ParseCell(string cell, string column, int lineNumber, string fileName)
    {
        string text = cell.Trim();
        if (text.Length == 0)
            return double.NaN; // a gap
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new InvalidInputException("column",
                $"column '{column}' of {fileName}, line {lineNumber}: '{cell}' is not a number; the column must hold finite numbers such as 12.5");
        if (!double.IsFinite(value))
            throw new InvalidInputException("column",
                $"column '{column}' of {fileName}, line {lineNumber}: '{cell}' is not a finite number; NaN and infinite values are not allowed");
        return value;
    }

    /// <summary>Splits one line at commas outside double quotes; a quoted field's quotes are removed.</summary>
    internal static List<string> SplitLine(string line, string path, int lineNumber)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char ch = line[i];
            if (quoted)
            {
                if (ch != '"')
                    field.Append(ch);
                else if (i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else
                    quoted = false;
            }
            else if (ch == '"')
                quoted = true;
            else if (ch == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
                field.Append(ch);
        }
        if (quoted)
            throw new InvalidInputException("data",
                $"line {lineNumber} of {Path.GetFileName(path)} has an unclosed double quote; quoted fields must end on the same line");
        fields.Add(field.ToString());
        return fields;
    }
}
