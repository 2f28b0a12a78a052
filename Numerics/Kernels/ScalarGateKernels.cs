namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// Scalar references of the gate kernels in <see cref="GateKernels"/> (LSTM and GRU cells, dropout masks): the same
/// operations in the same order, one element at a time. Tests require the SIMD kernels to agree with these bit for
/// bit at every length. n = units; LSTM gates are packed [i, f, g, o] ([4n]), GRU gates [z, r, h~] ([3n]).
/// </summary>
public static class ScalarGateKernels
{
    // z: [n] -> s: [n] = 0.5 tanh(0.5 z) + 0.5
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> s)
    {
        for (int j = 0; j < z.Length; j++) s[j] = MathF.FusedMultiplyAdd(0.5f, RationalTanh.Reference(0.5f * z[j]), 0.5f);
    }

    // a, b: [n] -> s: [n] = sigmoid(a + b)
    public static void AddSigmoid(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> s)
    {
        for (int j = 0; j < a.Length; j++) s[j] = MathF.FusedMultiplyAdd(0.5f, RationalTanh.Reference(0.5f * (a[j] + b[j])), 0.5f);
    }

    // a, b, c: [n] -> h: [n] = tanh(fma(a, b, c))
    public static void MultiplyAddTanh(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> h)
    {
        for (int j = 0; j < a.Length; j++) h[j] = RationalTanh.Reference(MathF.FusedMultiplyAdd(a[j], b[j], c[j]));
    }

    // a, b: [n] -> y: [n] = a * b
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        for (int j = 0; j < a.Length; j++) y[j] = a[j] * b[j];
    }

    // a, b: [n] -> y: [n] = fma(a, b, y)
    public static void MultiplyAddElementwise(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        for (int j = 0; j < a.Length; j++) y[j] = MathF.FusedMultiplyAdd(a[j], b[j], y[j]);
    }

    // gates: [4n] activated (i, f, g, o), cPrev: [n] -> c: [n] = fma(i, g, f * cPrev)
    public static void LstmCell(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, Span<float> c)
    {
        int n = cPrev.Length;
        for (int j = 0; j < n; j++) c[j] = MathF.FusedMultiplyAdd(gates[j], gates[2 * n + j], gates[n + j] * cPrev[j]);
    }

    // gates: [4n] activated, cPrev, tanhC, dh: [n], dc: [n] (dL/dc_t from step t+1, becomes dL/dc_{t-1})
    //   -> dz: [4n] = dL/d(pre-activations i, f, g, o)
    public static void LstmCellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dz)
    {
        int n = cPrev.Length;
        for (int j = 0; j < n; j++)
        {
            float i = gates[j], f = gates[n + j], g = gates[2 * n + j], o = gates[3 * n + j];
            float tc = tanhC[j], dhj = dh[j];
            float dct = MathF.FusedMultiplyAdd(dhj * o, 1f - tc * tc, dc[j]);
            dz[j] = dct * g * (i * (1f - i));
            dz[n + j] = dct * cPrev[j] * (f * (1f - f));
            dz[2 * n + j] = dct * i * (1f - g * g);
            dz[3 * n + j] = dhj * tc * (o * (1f - o));
            dc[j] = dct * f;
        }
    }

    // z, hPrev, hCandidate: [n] -> h: [n] = fma(z, hPrev, (1 - z) * hCandidate)
    public static void GruMix(ReadOnlySpan<float> z, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> hCandidate, Span<float> h)
    {
        for (int j = 0; j < z.Length; j++) h[j] = MathF.FusedMultiplyAdd(z[j], hPrev[j], (1f - z[j]) * hCandidate[j]);
    }

    // gates: [3n] activated (z, r, h~), recurrentH: [n] (rh = h_{t-1} R_h + b_rec,h), hPrev, dh: [n]
    //   -> dInput: [3n] = dL/d(xz, xr, xh), dRecurrentH: [n] = dL/drh, dhPrev: [n] = dh * z
    public static void GruCellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> recurrentH, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> dh, Span<float> dInput, Span<float> dRecurrentH, Span<float> dhPrev)
    {
        int n = hPrev.Length;
        for (int j = 0; j < n; j++)
        {
            float z = gates[j], r = gates[n + j], hc = gates[2 * n + j], dhj = dh[j];
            float dz = dhj * (hPrev[j] - hc) * (z * (1f - z));
            float da = dhj * (1f - z) * (1f - hc * hc);
            float dr = da * recurrentH[j] * (r * (1f - r));
            dInput[j] = dz;
            dInput[n + j] = dr;
            dInput[2 * n + j] = da;
            dRecurrentH[j] = da * r;
            dhPrev[j] = dhj * z;
        }
    }
}
