namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// Scalar references of <see cref="LayerNormKernels"/>: the same operations in the same order, one element at a time
/// (multiply-adds fused, as in the vector code). Tests require the SIMD kernels to agree with these bit for bit at
/// every length.
/// </summary>
public static class ScalarLayerNormKernels
{
    // z, mean, rstd: [n] -> normalised: [n] = (z - mean) * rstd, a: [n] = fma(normalised, gamma, beta); a may be z
    public static void Forward(ReadOnlySpan<float> z, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, float gamma, float beta,
        Span<float> normalised, Span<float> a)
    {
        for (int j = 0; j < z.Length; j++)
        {
            float nj = (z[j] - mean[j]) * rstd[j];
            normalised[j] = nj;
            a[j] = MathF.FusedMultiplyAdd(nj, gamma, beta);
        }
    }

    // dn, normalised, meanDn, meanDnN, rstd: [n] -> dz: [n] = (dn - meanDn - normalised * meanDnN) * rstd
    public static void Backward(ReadOnlySpan<float> dn, ReadOnlySpan<float> normalised, ReadOnlySpan<float> meanDn,
        ReadOnlySpan<float> meanDnN, ReadOnlySpan<float> rstd, Span<float> dz)
    {
        for (int j = 0; j < dn.Length; j++) dz[j] = MathF.FusedMultiplyAdd(-normalised[j], meanDnN[j], dn[j] - meanDn[j]) * rstd[j];
    }
}
