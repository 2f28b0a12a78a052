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

    // a[r, k] = a[aStart + r*aRow + k*aCol], m[k, j] = m[mStart + k*mRow + j] -> c[cStart + r*cRow + j] += Σ_k a[r, k] m[k, j],
    // k in order, the reference of BlockProduct.MultiplyAdd
    public static void ProductAdd(ReadOnlySpan<float> a, int aStart, int aRow, int aCol, int rows,
        ReadOnlySpan<float> m, int mStart, int mRow, int depth, Span<float> c, int cStart, int cRow, int n)
    {
        for (int r = 0; r < rows; r++)
            for (int j = 0; j < n; j++)
            {
                float sum = c[cStart + r * cRow + j];
                for (int k = 0; k < depth; k++) sum = MathF.FusedMultiplyAdd(a[aStart + r * aRow + k * aCol], m[mStart + k * mRow + j], sum);
                c[cStart + r * cRow + j] = sum;
            }
    }
}
