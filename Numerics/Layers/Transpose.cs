namespace RnnCluster.Numerics.Layers;

internal static class Transpose
{
    // m: [rows, cols] -> t: [cols, rows]
    public static void Matrix(ReadOnlySpan<float> m, int rows, int cols, Span<float> t)
    {
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                t[j * rows + i] = m[i * cols + j];
    }
}
