namespace RnnCluster.Numerics.Kernels;

/// <summary>A matrix a product adds into: element [r, j] is Data[Start + r * RowStride + j] (a row's elements adjacent).</summary>
public readonly ref struct MatrixOut(Span<float> data, int start, int rowStride)
{
    public Span<float> Data { get; } = data;
    public int Start { get; } = start;
    public int RowStride { get; } = rowStride;
}
