using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The SIMD kernels of the gated cells (LSTM, GRU) and of dropout masks. As in <see cref="SimdKernels"/>, each is one
/// width-generic body run by <see cref="Elementwise.Run"/>, with the same operations in the same order for every
/// element (IEEE multiply and subtract, fused multiply-add), so every element's bits are those of
/// <see cref="ScalarGateKernels"/> whatever the vector width or the element's position.
/// The sigmoid is 0.5 tanh(0.5 z) + 0.5 with <see cref="RationalTanh"/>.
/// n = units; LSTM gates are packed [i, f, g, o] ([4n]), GRU gates [z, r, h~] ([3n]), as Keras packs them.
/// </summary>
public static class GateKernels
{
    // z: [n] -> s: [n] = sigmoid(z) = 0.5 tanh(0.5 z) + 0.5 with RationalTanh (s may be z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> s)
    {
        if (s.Length < z.Length) throw new ArgumentException("destination is shorter than the source", nameof(s));
        var op = new SigmoidOp(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(s));
        Elementwise.Run(ref op, z.Length);
    }

    /// <summary>sigmoid(z) = fma(0.5, tanh(0.5 z), 0.5) on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SigmoidOf<TV>(TV z) where TV : struct, IVector<TV>
    {
        var half = TV.Broadcast(0.5f);
        return TV.FusedMultiplyAdd(half, RationalTanh.Of(half * z), half);
    }

    private readonly ref struct SigmoidOp(ref float z, ref float s) : IElementwiseOp
    {
        private readonly ref float z = ref z, s = ref s;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(SigmoidOf(TM.Load(ref z, at)), ref s, at);
    }

    // a, b: [n] -> y: [n] = a * b (y may be a or b)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        if (b.Length < a.Length || y.Length < a.Length) throw new ArgumentException("spans differ in length");
        var op = new MultiplyOp(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), ref MemoryMarshal.GetReference(y));
        Elementwise.Run(ref op, a.Length);
    }

    private readonly ref struct MultiplyOp(ref float a, ref float b, ref float y) : IElementwiseOp
    {
        private readonly ref float a = ref a, b = ref b, y = ref y;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(TM.Load(ref a, at) * TM.Load(ref b, at), ref y, at);
    }

    // a, b: [n] -> y: [n] = fma(a, b, y)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddElementwise(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        if (b.Length < a.Length || y.Length < a.Length) throw new ArgumentException("spans differ in length");
        var op = new MultiplyAddOp(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b), ref MemoryMarshal.GetReference(y));
        Elementwise.Run(ref op, a.Length);
    }

    private readonly ref struct MultiplyAddOp(ref float a, ref float b, ref float y) : IElementwiseOp
    {
        private readonly ref float a = ref a, b = ref b, y = ref y;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(TV.FusedMultiplyAdd(TM.Load(ref a, at), TM.Load(ref b, at), TM.Load(ref y, at)), ref y, at);
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
        var op = new LstmCellBackwardOp(ref MemoryMarshal.GetReference(gates), n, ref MemoryMarshal.GetReference(cPrev),
            ref MemoryMarshal.GetReference(tanhC), ref MemoryMarshal.GetReference(dh), ref MemoryMarshal.GetReference(dc),
            ref MemoryMarshal.GetReference(dz));
        Elementwise.Run(ref op, n);
    }

    // gates and dz are [4n] with the gate g's unit j at g*n + j
    private readonly ref struct LstmCellBackwardOp(ref float gates, nint n, ref float cPrev, ref float tanhC, ref float dh, ref float dc,
        ref float dz) : IElementwiseOp
    {
        private readonly ref float gates = ref gates, cPrev = ref cPrev, tanhC = ref tanhC, dh = ref dh, dc = ref dc, dz = ref dz;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var one = TV.Broadcast(1f);
            var i = TM.Load(ref gates, at);
            var f = TM.Load(ref gates, n + at);
            var g = TM.Load(ref gates, 2 * n + at);
            var o = TM.Load(ref gates, 3 * n + at);
            var tc = TM.Load(ref tanhC, at);
            var dhv = TM.Load(ref dh, at);
            var dct = TV.FusedMultiplyAdd(dhv * o, one - tc * tc, TM.Load(ref dc, at));
            TM.Store(dct * g * (i * (one - i)), ref dz, at);
            TM.Store(dct * TM.Load(ref cPrev, at) * (f * (one - f)), ref dz, n + at);
            TM.Store(dct * i * (one - g * g), ref dz, 2 * n + at);
            TM.Store(dhv * tc * (o * (one - o)), ref dz, 3 * n + at);
            TM.Store(dct * f, ref dc, at);
        }
    }

    // z, hPrev, hCandidate: [n] -> h: [n] = fma(z, hPrev, (1 - z) * hCandidate)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GruMix(ReadOnlySpan<float> z, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> hCandidate, Span<float> h)
    {
        int n = z.Length;
        if (hPrev.Length < n || hCandidate.Length < n || h.Length < n) throw new ArgumentException("spans differ in length");
        var op = new GruMixOp(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(hPrev),
            ref MemoryMarshal.GetReference(hCandidate), ref MemoryMarshal.GetReference(h));
        Elementwise.Run(ref op, n);
    }

    private readonly ref struct GruMixOp(ref float z, ref float hPrev, ref float hCandidate, ref float h) : IElementwiseOp
    {
        private readonly ref float z = ref z, hPrev = ref hPrev, hCandidate = ref hCandidate, h = ref h;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var zv = TM.Load(ref z, at);
            TM.Store(TV.FusedMultiplyAdd(zv, TM.Load(ref hPrev, at), (TV.Broadcast(1f) - zv) * TM.Load(ref hCandidate, at)), ref h, at);
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
        var op = new GruCellBackwardOp(ref MemoryMarshal.GetReference(gates), n, ref MemoryMarshal.GetReference(recurrentH),
            ref MemoryMarshal.GetReference(hPrev), ref MemoryMarshal.GetReference(dh), ref MemoryMarshal.GetReference(dInput),
            ref MemoryMarshal.GetReference(dRecurrent), ref MemoryMarshal.GetReference(dhPrev));
        Elementwise.Run(ref op, n);
    }

    // gates, dInput and dRecurrent are [3n] with the gate g's unit j at g*n + j
    private readonly ref struct GruCellBackwardOp(ref float gates, nint n, ref float recurrentH, ref float hPrev, ref float dh,
        ref float dInput, ref float dRecurrent, ref float dhPrev) : IElementwiseOp
    {
        private readonly ref float gates = ref gates, recurrentH = ref recurrentH, hPrev = ref hPrev, dh = ref dh,
            dInput = ref dInput, dRecurrent = ref dRecurrent, dhPrev = ref dhPrev;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var one = TV.Broadcast(1f);
            var z = TM.Load(ref gates, at);
            var r = TM.Load(ref gates, n + at);
            var hc = TM.Load(ref gates, 2 * n + at);
            var dhv = TM.Load(ref dh, at);
            var dz = dhv * (TM.Load(ref hPrev, at) - hc) * (z * (one - z));
            var da = dhv * (one - z) * (one - hc * hc);
            var dr = da * TM.Load(ref recurrentH, at) * (r * (one - r));
            TM.Store(dz, ref dInput, at);
            TM.Store(dr, ref dInput, n + at);
            TM.Store(da, ref dInput, 2 * n + at);
            TM.Store(dz, ref dRecurrent, at);
            TM.Store(dr, ref dRecurrent, n + at);
            TM.Store(da * r, ref dRecurrent, 2 * n + at);
            TM.Store(dhv * z, ref dhPrev, at);
        }
    }
}
