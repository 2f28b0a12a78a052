namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// Scalar references of the SIMD kernels in <see cref="ConvKernels"/> (ReLU for Conv1D, the element-wise parts of
/// layer normalisation for LayerNormSimpleRnnCell): the same operations in the same order, one element at a time.
/// Tests require the SIMD kernels to agree with these bit for bit at every length. Multiply-adds are fused, as in
/// the vector code.
/// </summary>
public static class ScalarConvKernels
{
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

    // z, gamma, beta: [n] -> normalised: [n] = (z - mean) * rstd, a: [n] = normalised * gamma + beta (fused); a may be z
    public static void LayerNorm(ReadOnlySpan<float> z, float mean, float rstd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> normalised, Span<float> a)
    {
        for (int j = 0; j < z.Length; j++)
        {
            float nj = (z[j] - mean) * rstd;
            normalised[j] = nj;
            a[j] = MathF.FusedMultiplyAdd(nj, gamma[j], beta[j]);
        }
    }

    // dn, normalised: [n] -> dz: [n] = (dn - meanDn - normalised * meanDnN) * rstd (the inner multiply-add fused)
    public static void LayerNormBackward(ReadOnlySpan<float> dn, ReadOnlySpan<float> normalised, float meanDn, float meanDnN,
        float rstd, Span<float> dz)
    {
        for (int j = 0; j < dn.Length; j++) dz[j] = MathF.FusedMultiplyAdd(-normalised[j], meanDnN, dn[j] - meanDn) * rstd;
    }
}
