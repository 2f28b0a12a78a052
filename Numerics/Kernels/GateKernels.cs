using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The SIMD kernels of the gated cells (LSTM, GRU) and of dropout masks. As in <see cref="SimdKernels"/>, each is one
/// width-generic operator run by <c>Elementwise.Map</c> (or, with several outputs, an op run by
/// <see cref="Elementwise.Run"/>), with the same operations in the same order for every
/// element (IEEE multiply and subtract, fused multiply-add), so every element's bits are those of
/// <see cref="ScalarGateKernels"/> whatever the vector width or the element's position.
/// The sigmoid is 0.5 tanh(0.5 z) + 0.5 with <see cref="RationalTanh"/>.
/// n = units; LSTM gates are packed [i, f, g, o] ([4n]), GRU gates [z, r, h~] ([3n]), as Keras packs them.
/// </summary>
public static class GateKernels
{
    // z: [n] -> s: [n] = sigmoid(z) = 0.5 tanh(0.5 z) + 0.5 with RationalTanh (s may be z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Sigmoid(ReadOnlySpan<float> z, Span<float> s) => Elementwise.Map(new SigmoidOperator(), z, s);

    /// <summary>sigmoid(z) = fma(0.5, tanh(0.5 z), 0.5) on every lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV SigmoidOf<TV>(TV z) where TV : struct, IVector<TV>
    {
        var half = TV.Broadcast(0.5f);
        return TV.FusedMultiplyAdd(half, RationalTanh.Of(half * z), half);
    }

    // a, b: [n] -> y: [n] = a * b (y may be a or b)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) => Elementwise.Map(new MultiplyOperator(), a, b, y);

    // a, b: [n] -> y: [n] = fma(a, b, y)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddElementwise(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y) =>
        Elementwise.Map(new MultiplyAddOperator(), a, b, y, y);

    // a, b: [n] -> s: [n] = sigmoid(a + b) (s may be a or b): the bits of SimdKernels.Add, then Sigmoid, in one pass
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddSigmoid(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> s) => Elementwise.Map(new AddSigmoidOperator(), a, b, s);

    // a, b, c: [n] -> h: [n] = tanh(fma(a, b, c)) (h may be c): the bits of MultiplyAddElementwise, then Tanh, in one pass
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAddTanh(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> c, Span<float> h) =>
        Elementwise.Map(new MultiplyAddTanhOperator(), a, b, c, h);

    private readonly struct SigmoidOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV z) where TV : struct, IVector<TV> => SigmoidOf(z);
    }

    private readonly struct AddSigmoidOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV a, TV b) where TV : struct, IVector<TV> => SigmoidOf(a + b);
    }

    private readonly struct MultiplyAddTanhOperator : ITernaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV a, TV b, TV c) where TV : struct, IVector<TV> => RationalTanh.Of(TV.FusedMultiplyAdd(a, b, c));
    }

    private readonly struct MultiplyOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV a, TV b) where TV : struct, IVector<TV> => a * b;
    }

    private readonly struct MultiplyAddOperator : ITernaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV a, TV b, TV y) where TV : struct, IVector<TV> => TV.FusedMultiplyAdd(a, b, y);
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var one = TV.Broadcast(1f);
            TV i = TM.Load(ref gates, at), f = TM.Load(ref gates, n + at), g = TM.Load(ref gates, 2 * n + at), o = TM.Load(ref gates, 3 * n + at);
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
    public static void GruMix(ReadOnlySpan<float> z, ReadOnlySpan<float> hPrev, ReadOnlySpan<float> hCandidate, Span<float> h) =>
        Elementwise.Map(new GruMixOperator(), z, hPrev, hCandidate, h);

    private readonly struct GruMixOperator : ITernaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV z, TV hPrev, TV hCandidate) where TV : struct, IVector<TV> =>
            TV.FusedMultiplyAdd(z, hPrev, (TV.Broadcast(1f) - z) * hCandidate);
    }

    // gates: [3n] activated (z, r, h~), recurrentH: [n] (rh = h_{t-1} R_h + b_rec,h), hPrev, dh: [n]
    //   -> dInput: [3n] = dL/d(xz, xr, xh), dRecurrentH: [n] = dL/drh, dhPrev: [n] = dh * z (dL/drz and dL/drr are
    //   dL/dxz and dL/dxr)
    // forward: h_t = z*h_{t-1} + (1 - z)*h~, h~ = tanh(a), a = xh + r*rh, so with da = dh*(1 - z)*(1 - h~^2):
    //   dz = dh*(h_{t-1} - h~), dr = da*rh, d(xh) = da, d(rh) = da*r, times each sigmoid's derivative
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GruCellBackward(ReadOnlySpan<float> gates, ReadOnlySpan<float> recurrentH, ReadOnlySpan<float> hPrev,
        ReadOnlySpan<float> dh, Span<float> dInput, Span<float> dRecurrentH, Span<float> dhPrev)
    {
        int n = hPrev.Length;
        if (gates.Length < 3 * n || recurrentH.Length < n || dh.Length < n || dInput.Length < 3 * n || dRecurrentH.Length < n
            || dhPrev.Length < n)
            throw new ArgumentException("spans differ in length");
        var op = new GruCellBackwardOp(ref MemoryMarshal.GetReference(gates), n, ref MemoryMarshal.GetReference(recurrentH),
            ref MemoryMarshal.GetReference(hPrev), ref MemoryMarshal.GetReference(dh), ref MemoryMarshal.GetReference(dInput),
            ref MemoryMarshal.GetReference(dRecurrentH), ref MemoryMarshal.GetReference(dhPrev));
        Elementwise.Run(ref op, n);
    }

    // gates and dInput are [3n] with the gate g's unit j at g*n + j
    private readonly ref struct GruCellBackwardOp(ref float gates, nint n, ref float recurrentH, ref float hPrev, ref float dh,
        ref float dInput, ref float dRecurrentH, ref float dhPrev) : IElementwiseOp
    {
        private readonly ref float gates = ref gates, recurrentH = ref recurrentH, hPrev = ref hPrev, dh = ref dh,
            dInput = ref dInput, dRecurrentH = ref dRecurrentH, dhPrev = ref dhPrev;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var one = TV.Broadcast(1f);
            TV z = TM.Load(ref gates, at), r = TM.Load(ref gates, n + at), hc = TM.Load(ref gates, 2 * n + at);
            var dhv = TM.Load(ref dh, at);
            var dz = dhv * (TM.Load(ref hPrev, at) - hc) * (z * (one - z));
            var da = dhv * (one - z) * (one - hc * hc);
            var dr = da * TM.Load(ref recurrentH, at) * (r * (one - r));
            TM.Store(dz, ref dInput, at);
            TM.Store(dr, ref dInput, n + at);
            TM.Store(da, ref dInput, 2 * n + at);
            TM.Store(da * r, ref dRecurrentH, at);
            TM.Store(dhv * z, ref dhPrev, at);
        }
    }
}
