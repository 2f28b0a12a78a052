using System.Text;

namespace RnnCluster.Numerics.Data;

/// <summary>
/// Writes values into empty cells of one column of a CSV file and keeps every other byte as it was: the header, the
/// other cells, quoting, spacing, the line endings (\n, \r\n or \r, as <see cref="CsvSeries"/> reads them) and a byte
/// order mark. The file is handled as UTF-8 bytes: commas, quotes and line ends are single bytes that never occur
/// inside a multi-byte character, so fields are found without decoding them.
/// </summary>
public static class CsvCells
{
    /// <summary>
    /// The file's bytes with the cell of <paramref name="column"/> on each data row of <paramref name="cells"/> (0-based,
    /// the header is not a data row) replaced by its text. Every such cell must be empty (<see cref="CsvSeries.IsGap"/>):
    /// anything else is a programming error.
    /// </summary>
    /// <param name="path">Names the file in errors.</param>
    public static byte[] FillEmpty(byte[] content, string column, IReadOnlyDictionary<int, string> cells, string path)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(cells);
        var lines = Lines(content);
        if (lines.Count == 0)
            throw new InvalidInputException("data", $"'{path}' is empty; expected a header row of column names followed by rows of numbers");
        var header = CsvSeries.Header(Encoding.UTF8.GetString(content, lines[0].Start, lines[0].Length), path);
        int index = CsvSeries.FindColumn(header, column, Path.GetFileName(path));

        using var output = new MemoryStream(content.Length + cells.Count * 24);
        int copied = 0;
        foreach (int row in cells.Keys.Order())
        {
            if (row < 0 || row + 1 >= lines.Count) throw new ArgumentOutOfRangeException(nameof(cells), $"row {row} is not a data row of {path}");
            var (start, length) = Field(content, lines[row + 1], index);
            string old = Encoding.UTF8.GetString(content, start, length).Replace("\"", "", StringComparison.Ordinal);
            if (!CsvSeries.IsGap(old)) throw new ArgumentException($"row {row} of {path} holds '{old}' in column {column}, not an empty cell", nameof(cells));
            output.Write(content, copied, start - copied);
            output.Write(Encoding.UTF8.GetBytes(cells[row]));
            copied = start + length;
        }
        output.Write(content, copied, content.Length - copied);
        return output.ToArray();
    }

    /// <summary>The lines' byte ranges, without their ends; a last line without an end counts when it is not empty.</summary>
    private static List<(int Start, int Length)> Lines(byte[] content)
    {
        var lines = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i < content.Length; i++)
        {
            if (content[i] is not ((byte)'\n' or (byte)'\r')) continue;
            lines.Add((start, i - start));
            if (content[i] == '\r' && i + 1 < content.Length && content[i + 1] == '\n') i++;
            start = i + 1;
        }
        if (start < content.Length) lines.Add((start, content.Length - start));
        return lines;
    }

    /// <summary>The byte range of field <paramref name="index"/> of a line (commas inside double quotes do not split).</summary>
    private static (int Start, int Length) Field(byte[] content, (int Start, int Length) line, int index)
    {
        int field = 0, start = line.Start, end = line.Start + line.Length;
        bool quoted = false;
        for (int i = line.Start; i < end; i++)
        {
            byte b = content[i];
            if (b == '"') quoted = !quoted; // "" inside a quoted field toggles twice
            else if (b == ',' && !quoted)
            {
                if (field == index) return (start, i - start);
                field++;
                start = i + 1;
            }
        }
        if (field == index) return (start, end - start);
        throw new ArgumentException($"the line at byte {line.Start} has fewer than {index + 1} fields", nameof(index));
    }
}
