namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// Scalar references of the SIMD kernels in <see cref="SimdKernels"/>: the same operations in the same order,
/// one element at a time. Tests require the SIMD kernels to agree with these bit for bit at every length.
/// Every multiply-add is fused (<see cref="MathF.FusedMultiplyAdd"/>), as in the vector code, so that a value's
/// rounding never depends on whether it landed in a vector lane or in the scalar remainder.
/// </summary>
public static class ScalarKernels
{
    // y: [n] += x: [n]
    public static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        for (int j = 0; j < x.Length; j++) y[j] += x[j];
    }

    // x: [n] /= divisor
    public static void Divide(Span<float> x, float divisor)
    {
        for (int j = 0; j < x.Length; j++) x[j] /= divisor;
    }

    // h: [n] = tanh(z: [n])
    public static void Tanh(ReadOnlySpan<float> z, Span<float> h)
    {
        for (int j = 0; j < z.Length; j++) h[j] = RationalTanh.Reference(z[j]);
    }

    // h, dh: [n] -> dz: [n] = dh * (1 - h*h), the derivative of h = tanh(z)
    public static void TanhBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, Span<float> dz)
    {
        for (int j = 0; j < h.Length; j++) dz[j] = dh[j] * (1f - h[j] * h[j]);
    }

    // z: [n] -> y: [n] = z > 0 ? z : 0 (NaN and -0 give +0)
    public static void Relu(ReadOnlySpan<float> z, Span<float> y)
    {
        for (int j = 0; j < z.Length; j++) y[j] = z[j] > 0f ? z[j] : 0f;
    }

    // y, dy: [n] -> dz: [n] = y > 0 ? dy : 0, the derivative of y = relu(z)
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        for (int j = 0; j < y.Length; j++) dz[j] = y[j] > 0f ? dy[j] : 0f;
    }

    // a: [rows, depth], m: [depth, columns] -> c: [rows, columns] += a m, each sum over k in order: the reference of
    // BlockProduct.MultiplyAdd
    public static void ProductAdd(MatrixIn a, MatrixIn m, MatrixOut c, int rows, int depth, int columns)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < columns; j++)
            {
                int at = c.Start + r * c.RowStride + j;
                float sum = c.Data[at];
                for (int k = 0; k < depth; k++)
                    sum = MathF.FusedMultiplyAdd(a.Data[a.Start + r * a.RowStride + k * a.ColumnStride], m.Data[m.Start + k * m.RowStride + j * m.ColumnStride], sum);
                c.Data[at] = sum;
            }
    }
}
