namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// A matrix a product reads from a span: element [r, k] is Data[Start + r * RowStride + k * ColumnStride]. Strides
/// may be negative (BPTT reads time steps backwards), so one span can be read as x, as x^T or in reverse time.
/// </summary>
public readonly ref struct MatrixIn(ReadOnlySpan<float> data, int start, int rowStride, int columnStride = 1)
{
    public ReadOnlySpan<float> Data { get; } = data;
    public int Start { get; } = start;
    public int RowStride { get; } = rowStride;
    public int ColumnStride { get; } = columnStride;
}
