using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The SIMD kernels of the gated cells (LSTM, GRU) and of dropout masks. As in <see cref="SimdKernels"/>, each walks
/// its span with the widest vector the CPU has (512, then 256, then 128 bits) and finishes the remainder one element
/// at a time with the same operations in the same order (IEEE multiply and subtract, fused multiply-add), so every
/// element's bits are those of <see cref="ScalarGateKernels"/> whatever the vector width or the element's position.
/// The sigmoid is 0.5 tanh(0.5 z) + 0.5 with <see cref="RationalTanh"/>.
/// n = units; LSTM gates are packed [i, f, g, o] ([4n]), GRU gates [z, r, h~] ([3n]), as Keras packs them.
/// </summary>
public static class GateKernels
{
    // z: [n] -> s: [n] = sigmoid(z) = 0.5 tanh(0.5 z) + 0.5 with RationalTanh (s may be z); the remainder through
    // the 128-bit code one element at a time, as SimdKernels.Tanh does
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> s)
    {
        int n = z.Length;
        if (s.Length < n) throw new ArgumentException("destination is shorter than the source", nameof(s));
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float ss = ref MemoryMarshal.GetReference(s);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var half = Vector512.Create(0.5f);
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(half, RationalTanh.Of(half * Vector512.LoadUnsafe(ref zs, (nuint)j)), half).StoreUnsafe(ref ss, (nuint)j);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5f);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                Vector256.FusedMultiplyAdd(half, RationalTanh.Of(half * Vector256.LoadUnsafe(ref zs, (nuint)j)), half).StoreUnsafe(ref ss, (nuint)j);
        }
        for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            SigmoidOf(Vector128.LoadUnsafe(ref zs, (nuint)j)).StoreUnsafe(ref ss, (nuint)j);
        for (; j < n; j++) Unsafe.Add(ref ss, j) = SigmoidOf(Vector128.CreateScalarUnsafe(Unsafe.Add(ref zs, j))).ToScalar();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> SigmoidOf(Vector128<float> z)
    {
        var half = Vector128.Create(0.5f);
        return Vector128.FusedMultiplyAdd(half, RationalTanh.Of(half * z), half);
    }

    // a, b: [n] -> y: [n] = a * b (y may be a or b)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        int n = a.Length;
        if (b.Length < n || y.Length < n) throw new ArgumentException("spans differ in length");
        ref float az = ref MemoryMarshal.GetReference(a);
        ref float bz = ref MemoryMarshal.GetReference(b);
        ref float yz = ref MemoryMarshal.GetReference(y);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref az, (nuint)j) * Vector512.LoadUnsafe(ref bz, (nuint)j)).StoreUnsafe(ref yz, (nuint)j);
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref az, (nuint)j) * Vector256.LoadUnsafe(ref bz, (nuint)j)).StoreUnsafe(ref yz, (nuint)j);
        if (Vector128.IsHardwareAccelerated)
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
                (Vector128.LoadUnsafe(ref az, (nuint)j) * Vector128.LoadUnsafe(ref bz, (nuint)j)).StoreUnsafe(ref yz, (nuint)j);
        for (; j < n; j++) Unsafe.Add(ref yz, j) = Unsafe.Add(ref az, j) * Unsafe.Add(ref bz, j);
    }

    // a, b: [n] -> y: [n] = fma(a, b, y)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddElementwise(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        int n = a.Length;
        if (b.Length < n || y.Length < n) throw new ArgumentException("spans differ in length");
        ref float az = ref MemoryMarshal.GetReference(a);
        ref float bz = ref MemoryMarshal.GetReference(b);
        ref float yz = ref MemoryMarshal.GetReference(y);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                Vector512.FusedMultiplyAdd(Vector512.LoadUnsafe(ref az, (nuint)j), Vector512.LoadUnsafe(ref bz, (nuint)j),
                    Vector512.LoadUnsafe(ref yz, (nuint)j)).StoreUnsafe(ref yz, (nuint)j);
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref az, (nuint)j), Vector256.LoadUnsafe(ref bz, (nuint)j),
                    Vector256.LoadUnsafe(ref yz, (nuint)j)).StoreUnsafe(ref yz, (nuint)j);
        if (Vector128.IsHardwareAccelerated)
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
                Vector128.FusedMultiplyAdd(Vector128.LoadUnsafe(ref az, (nuint)j), Vector128.LoadUnsafe(ref bz, (nuint)j),
                    Vector128.LoadUnsafe(ref yz, (nuint)j)).StoreUnsafe(ref yz, (nuint)j);
        for (; j < n; j++)
            Unsafe.Add(ref yz, j) = MathF.FusedMultiplyAdd(Unsafe.Add(ref az, j), Unsafe.Add(ref bz, j), Unsafe.Add(ref yz, j));
    }

    // gates: [4n] activated, cPrev, tanhC, dh: [n], dc: [n] (dL/dc_t from step t+1, becomes dL/dc_{t-1})
    //   -> dz: [4n] = dL/d(pre-activations i, f, g, o)
    // forward: c_t = f*c_{t-1} + i*g, h_t = o*tanh(c_t), so with dct = dc + dh*o*(1 - tanh(c_t)^2):
    //   di = dct*g, df = dct*c_{t-1}, dg = dct*i, do = dh*tanh(c_t), dc_{t-1} = dct*f, times each activation's derivative
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LstmCellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> cPrev, ReadOnlySpan<float> tanhC,
        ReadOnlySpan<float> dh, Span<float> dc, Span<float> dz)
    {
        int n = cPrev.Length;
        if (gates.Length < 4 * n || tanhC.Length < n || dh.Length < n || dc.Length < n || dz.Length < 4 * n)
            throw new ArgumentException("spans differ in length");
        ref float gi = ref MemoryMarshal.GetReference(gates);
        ref float gf = ref Unsafe.Add(ref gi, n);
        ref float gg = ref Unsafe.Add(ref gi, 2 * n);
        ref float go = ref Unsafe.Add(ref gi, 3 * n);
        ref float cp = ref MemoryMarshal.GetReference(cPrev);
        ref float tcs = ref MemoryMarshal.GetReference(tanhC);
        ref float dhs = ref MemoryMarshal.GetReference(dh);
        ref float dcs = ref MemoryMarshal.GetReference(dc);
        ref float di = ref MemoryMarshal.GetReference(dz);
        ref float df = ref Unsafe.Add(ref di, n);
        ref float dg = ref Unsafe.Add(ref di, 2 * n);
        ref float dout = ref Unsafe.Add(ref di, 3 * n);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<float>.One;
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                nuint k = (nuint)j;
                var i = Vector512.LoadUnsafe(ref gi, k);
                var f = Vector512.LoadUnsafe(ref gf, k);
                var g = Vector512.LoadUnsafe(ref gg, k);
                var o = Vector512.LoadUnsafe(ref go, k);
                var tc = Vector512.LoadUnsafe(ref tcs, k);
                var dhv = Vector512.LoadUnsafe(ref dhs, k);
                var dct = Vector512.FusedMultiplyAdd(dhv * o, one - tc * tc, Vector512.LoadUnsafe(ref dcs, k));
                (dct * g * (i * (one - i))).StoreUnsafe(ref di, k);
                (dct * Vector512.LoadUnsafe(ref cp, k) * (f * (one - f))).StoreUnsafe(ref df, k);
                (dct * i * (one - g * g)).StoreUnsafe(ref dg, k);
                (dhv * tc * (o * (one - o))).StoreUnsafe(ref dout, k);
                (dct * f).StoreUnsafe(ref dcs, k);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<float>.One;
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                nuint k = (nuint)j;
                var i = Vector256.LoadUnsafe(ref gi, k);
                var f = Vector256.LoadUnsafe(ref gf, k);
                var g = Vector256.LoadUnsafe(ref gg, k);
                var o = Vector256.LoadUnsafe(ref go, k);
                var tc = Vector256.LoadUnsafe(ref tcs, k);
                var dhv = Vector256.LoadUnsafe(ref dhs, k);
                var dct = Vector256.FusedMultiplyAdd(dhv * o, one - tc * tc, Vector256.LoadUnsafe(ref dcs, k));
                (dct * g * (i * (one - i))).StoreUnsafe(ref di, k);
                (dct * Vector256.LoadUnsafe(ref cp, k) * (f * (one - f))).StoreUnsafe(ref df, k);
                (dct * i * (one - g * g)).StoreUnsafe(ref dg, k);
                (dhv * tc * (o * (one - o))).StoreUnsafe(ref dout, k);
                (dct * f).StoreUnsafe(ref dcs, k);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var one = Vector128<float>.One;
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                nuint k = (nuint)j;
                var i = Vector128.LoadUnsafe(ref gi, k);
                var f = Vector128.LoadUnsafe(ref gf, k);
                var g = Vector128.LoadUnsafe(ref gg, k);
                var o = Vector128.LoadUnsafe(ref go, k);
                var tc = Vector128.LoadUnsafe(ref tcs, k);
                var dhv = Vector128.LoadUnsafe(ref dhs, k);
                var dct = Vector128.FusedMultiplyAdd(dhv * o, one - tc * tc, Vector128.LoadUnsafe(ref dcs, k));
                (dct * g * (i * (one - i))).StoreUnsafe(ref di, k);
                (dct * Vector128.LoadUnsafe(ref cp, k) * (f * (one - f))).StoreUnsafe(ref df, k);
                (dct * i * (one - g * g)).StoreUnsafe(ref dg, k);
                (dhv * tc * (o * (one - o))).StoreUnsafe(ref dout, k);
                (dct * f).StoreUnsafe(ref dcs, k);
            }
        }
        for (; j < n; j++)
        {
            float i = Unsafe.Add(ref gi, j), f = Unsafe.Add(ref gf, j), g = Unsafe.Add(ref gg, j), o = Unsafe.Add(ref go, j);
            float tc = Unsafe.Add(ref tcs, j), dhv = Unsafe.Add(ref dhs, j);
            float dct = MathF.FusedMultiplyAdd(dhv * o, 1f - tc * tc, Unsafe.Add(ref dcs, j));
            Unsafe.Add(ref di, j) = dct * g * (i * (1f - i));
            Unsafe.Add(ref df, j) = dct * Unsafe.Add(ref cp, j) * (f * (1f - f));
            Unsafe.Add(ref dg, j) = dct * i * (1f - g * g);
            Unsafe.Add(ref dout, j) = dhv * tc * (o * (1f - o));
            Unsafe.Add(ref dcs, j) = dct * f;
        }
    }

    // z, hPrev, hCandidate: [n] -> h: [n] = fma(z, hPrev, (1 - z) * hCandidate)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GruMix(ReadOnlySpan<float> z, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> hCandidate, Span<float> h)
    {
        int n = z.Length;
        if (hPrev.Length < n || hCandidate.Length < n || h.Length < n) throw new ArgumentException("spans differ in length");
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float hp = ref MemoryMarshal.GetReference(hPrev);
        ref float hc = ref MemoryMarshal.GetReference(hCandidate);
        ref float hs = ref MemoryMarshal.GetReference(h);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var zv = Vector512.LoadUnsafe(ref zs, (nuint)j);
                Vector512.FusedMultiplyAdd(zv, Vector512.LoadUnsafe(ref hp, (nuint)j),
                    (Vector512<float>.One - zv) * Vector512.LoadUnsafe(ref hc, (nuint)j)).StoreUnsafe(ref hs, (nuint)j);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var zv = Vector256.LoadUnsafe(ref zs, (nuint)j);
                Vector256.FusedMultiplyAdd(zv, Vector256.LoadUnsafe(ref hp, (nuint)j),
                    (Vector256<float>.One - zv) * Vector256.LoadUnsafe(ref hc, (nuint)j)).StoreUnsafe(ref hs, (nuint)j);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                var zv = Vector128.LoadUnsafe(ref zs, (nuint)j);
                Vector128.FusedMultiplyAdd(zv, Vector128.LoadUnsafe(ref hp, (nuint)j),
                    (Vector128<float>.One - zv) * Vector128.LoadUnsafe(ref hc, (nuint)j)).StoreUnsafe(ref hs, (nuint)j);
            }
        for (; j < n; j++)
        {
            float zv = Unsafe.Add(ref zs, j);
            Unsafe.Add(ref hs, j) = MathF.FusedMultiplyAdd(zv, Unsafe.Add(ref hp, j), (1f - zv) * Unsafe.Add(ref hc, j));
        }
    }

    // gates: [3n] activated (z, r, h~), recurrentH: [n] (rh = h_{t-1} R_h + b_rec,h), hPrev, dh: [n]
    //   -> dInput: [3n] = dL/d(xz, xr, xh), dRecurrent: [3n] = dL/d(rz, rr, rh), dhPrev: [n] = dh * z
    // forward: h_t = z*h_{t-1} + (1 - z)*h~, h~ = tanh(a), a = xh + r*rh, so with da = dh*(1 - z)*(1 - h~^2):
    //   dz = dh*(h_{t-1} - h~), dr = da*rh, d(xh) = da, d(rh) = da*r, times each sigmoid's derivative
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GruCellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> recurrentH, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> dh, Span<float> dInput, Span<float> dRecurrent, Span<float> dhPrev)
    {
        int n = hPrev.Length;
        if (gates.Length < 3 * n || recurrentH.Length < n || dh.Length < n || dInput.Length < 3 * n || dRecurrent.Length < 3 * n
            || dhPrev.Length < n)
            throw new ArgumentException("spans differ in length");
        ref float gz = ref MemoryMarshal.GetReference(gates);
        ref float gr = ref Unsafe.Add(ref gz, n);
        ref float gh = ref Unsafe.Add(ref gz, 2 * n);
        ref float rhs = ref MemoryMarshal.GetReference(recurrentH);
        ref float hps = ref MemoryMarshal.GetReference(hPrev);
        ref float dhs = ref MemoryMarshal.GetReference(dh);
        ref float dxz = ref MemoryMarshal.GetReference(dInput);
        ref float dxr = ref Unsafe.Add(ref dxz, n);
        ref float dxh = ref Unsafe.Add(ref dxz, 2 * n);
        ref float drz = ref MemoryMarshal.GetReference(dRecurrent);
        ref float drr = ref Unsafe.Add(ref drz, n);
        ref float drh = ref Unsafe.Add(ref drz, 2 * n);
        ref float dhp = ref MemoryMarshal.GetReference(dhPrev);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var one = Vector512<float>.One;
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                nuint k = (nuint)j;
                var z = Vector512.LoadUnsafe(ref gz, k);
                var r = Vector512.LoadUnsafe(ref gr, k);
                var hc = Vector512.LoadUnsafe(ref gh, k);
                var dhv = Vector512.LoadUnsafe(ref dhs, k);
                var dz = dhv * (Vector512.LoadUnsafe(ref hps, k) - hc) * (z * (one - z));
                var da = dhv * (one - z) * (one - hc * hc);
                var dr = da * Vector512.LoadUnsafe(ref rhs, k) * (r * (one - r));
                dz.StoreUnsafe(ref dxz, k);
                dr.StoreUnsafe(ref dxr, k);
                da.StoreUnsafe(ref dxh, k);
                dz.StoreUnsafe(ref drz, k);
                dr.StoreUnsafe(ref drr, k);
                (da * r).StoreUnsafe(ref drh, k);
                (dhv * z).StoreUnsafe(ref dhp, k);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var one = Vector256<float>.One;
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                nuint k = (nuint)j;
                var z = Vector256.LoadUnsafe(ref gz, k);
                var r = Vector256.LoadUnsafe(ref gr, k);
                var hc = Vector256.LoadUnsafe(ref gh, k);
                var dhv = Vector256.LoadUnsafe(ref dhs, k);
                var dz = dhv * (Vector256.LoadUnsafe(ref hps, k) - hc) * (z * (one - z));
                var da = dhv * (one - z) * (one - hc * hc);
                var dr = da * Vector256.LoadUnsafe(ref rhs, k) * (r * (one - r));
                dz.StoreUnsafe(ref dxz, k);
                dr.StoreUnsafe(ref dxr, k);
                da.StoreUnsafe(ref dxh, k);
                dz.StoreUnsafe(ref drz, k);
                dr.StoreUnsafe(ref drr, k);
                (da * r).StoreUnsafe(ref drh, k);
                (dhv * z).StoreUnsafe(ref dhp, k);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var one = Vector128<float>.One;
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                nuint k = (nuint)j;
                var z = Vector128.LoadUnsafe(ref gz, k);
                var r = Vector128.LoadUnsafe(ref gr, k);
                var hc = Vector128.LoadUnsafe(ref gh, k);
                var dhv = Vector128.LoadUnsafe(ref dhs, k);
                var dz = dhv * (Vector128.LoadUnsafe(ref hps, k) - hc) * (z * (one - z));
                var da = dhv * (one - z) * (one - hc * hc);
                var dr = da * Vector128.LoadUnsafe(ref rhs, k) * (r * (one - r));
                dz.StoreUnsafe(ref dxz, k);
                dr.StoreUnsafe(ref dxr, k);
                da.StoreUnsafe(ref dxh, k);
                dz.StoreUnsafe(ref drz, k);
                dr.StoreUnsafe(ref drr, k);
                (da * r).StoreUnsafe(ref drh, k);
                (dhv * z).StoreUnsafe(ref dhp, k);
            }
        }
        for (; j < n; j++)
        {
            float z = Unsafe.Add(ref gz, j), r = Unsafe.Add(ref gr, j), hc = Unsafe.Add(ref gh, j), dhv = Unsafe.Add(ref dhs, j);
            float dz = dhv * (Unsafe.Add(ref hps, j) - hc) * (z * (1f - z));
            float da = dhv * (1f - z) * (1f - hc * hc);
            float dr = da * Unsafe.Add(ref rhs, j) * (r * (1f - r));
            Unsafe.Add(ref dxz, j) = dz;
            Unsafe.Add(ref dxr, j) = dr;
            Unsafe.Add(ref dxh, j) = da;
            Unsafe.Add(ref drz, j) = dz;
            Unsafe.Add(ref drr, j) = dr;
            Unsafe.Add(ref drh, j) = da * r;
            Unsafe.Add(ref dhp, j) = dhv * z;
        }
    }
}
