namespace RnnCluster.Numerics.Layers;

/// <summary>Copies between sample-major and batch-minor layouts (no arithmetic: the bits move unchanged).</summary>
internal static class Transpose
{
    // m: [rows, cols] -> t: [cols, rows]
    public static void Matrix(ReadOnlySpan<float> m, int rows, int cols, Span<float> t)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                t[j * rows + i] = m[i * cols + j];
    }

    // m: [rows, cols] -> row: [rows] = column j of m
    public static void GatherColumn(ReadOnlySpan<float> m, int cols, int j, Span<float> row)
    {
        for (int i = 0; i < row.Length; i++) row[i] = m[i * cols + j];
    }

    // row: [rows] -> column j of m: [rows, cols]
    public static void ScatterColumn(ReadOnlySpan<float> row, Span<float> m, int cols, int j)
    {
        for (int i = 0; i < row.Length; i++) m[i * cols + j] = row[i];
    }
}
