using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// One LSTM step of one sample after its products, in a single pass over the units: i, f, o = σ(z), g = tanh(z)
/// (written back over the pre-activations), c = fma(i, g, f * c_{t-1}), tanh(c), h = o * tanh(c). The same
/// operations per element as <see cref="ScalarGateKernels.Sigmoid"/>, <see cref="ScalarKernels.Tanh"/>,
/// <see cref="ScalarGateKernels.LstmCell"/> and <see cref="ScalarGateKernels.Multiply"/> one after the other (tests
/// compare the bits), in one pass over the gates. The remainder runs the 128-bit code on one lane.
/// n = units; gates packed [i, f, g, o] ([4n]).
/// </summary>
public static class LstmStepKernel
{
    // gates: [4n] pre-activations -> activated in place; cPrev: [n] -> c, tanhC, h: [n]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int n = cPrev.Length;
        if (gates.Length < 4 * n || c.Length < n || tanhC.Length < n || h.Length < n) throw new ArgumentException("spans differ in length");
        ref float i0 = ref MemoryMarshal.GetReference(gates);
        ref float f0 = ref Unsafe.Add(ref i0, n);
        ref float g0 = ref Unsafe.Add(ref i0, 2 * n);
        ref float o0 = ref Unsafe.Add(ref i0, 3 * n);
        ref float cp = ref MemoryMarshal.GetReference(cPrev);
        ref float cs = ref MemoryMarshal.GetReference(c);
        ref float ts = ref MemoryMarshal.GetReference(tanhC);
        ref float hs = ref MemoryMarshal.GetReference(h);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var half = Vector512.Create(0.5f);
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                nuint at = (nuint)j;
                var i = Vector512.FusedMultiplyAdd(half, RationalTanh.Of(half * Vector512.LoadUnsafe(ref i0, at)), half);
                var f = Vector512.FusedMultiplyAdd(half, RationalTanh.Of(half * Vector512.LoadUnsafe(ref f0, at)), half);
                var g = RationalTanh.Of(Vector512.LoadUnsafe(ref g0, at));
                var o = Vector512.FusedMultiplyAdd(half, RationalTanh.Of(half * Vector512.LoadUnsafe(ref o0, at)), half);
                var cell = Vector512.FusedMultiplyAdd(i, g, f * Vector512.LoadUnsafe(ref cp, at));
                var tc = RationalTanh.Of(cell);
                i.StoreUnsafe(ref i0, at); f.StoreUnsafe(ref f0, at); g.StoreUnsafe(ref g0, at); o.StoreUnsafe(ref o0, at);
                cell.StoreUnsafe(ref cs, at); tc.StoreUnsafe(ref ts, at); (o * tc).StoreUnsafe(ref hs, at);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var half = Vector256.Create(0.5f);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                nuint at = (nuint)j;
                var i = Vector256.FusedMultiplyAdd(half, RationalTanh.Of(half * Vector256.LoadUnsafe(ref i0, at)), half);
                var f = Vector256.FusedMultiplyAdd(half, RationalTanh.Of(half * Vector256.LoadUnsafe(ref f0, at)), half);
                var g = RationalTanh.Of(Vector256.LoadUnsafe(ref g0, at));
                var o = Vector256.FusedMultiplyAdd(half, RationalTanh.Of(half * Vector256.LoadUnsafe(ref o0, at)), half);
                var cell = Vector256.FusedMultiplyAdd(i, g, f * Vector256.LoadUnsafe(ref cp, at));
                var tc = RationalTanh.Of(cell);
                i.StoreUnsafe(ref i0, at); f.StoreUnsafe(ref f0, at); g.StoreUnsafe(ref g0, at); o.StoreUnsafe(ref o0, at);
                cell.StoreUnsafe(ref cs, at); tc.StoreUnsafe(ref ts, at); (o * tc).StoreUnsafe(ref hs, at);
            }
        }
        for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
        {
            nuint at = (nuint)j;
            var (i, f, g, o, cell, tc) = Step(Vector128.LoadUnsafe(ref i0, at), Vector128.LoadUnsafe(ref f0, at), Vector128.LoadUnsafe(ref g0, at),
                Vector128.LoadUnsafe(ref o0, at), Vector128.LoadUnsafe(ref cp, at));
            i.StoreUnsafe(ref i0, at); f.StoreUnsafe(ref f0, at); g.StoreUnsafe(ref g0, at); o.StoreUnsafe(ref o0, at);
            cell.StoreUnsafe(ref cs, at); tc.StoreUnsafe(ref ts, at); (o * tc).StoreUnsafe(ref hs, at);
        }
        for (; j < n; j++)
        {
            var (i, f, g, o, cell, tc) = Step(Vector128.CreateScalarUnsafe(Unsafe.Add(ref i0, j)), Vector128.CreateScalarUnsafe(Unsafe.Add(ref f0, j)),
                Vector128.CreateScalarUnsafe(Unsafe.Add(ref g0, j)), Vector128.CreateScalarUnsafe(Unsafe.Add(ref o0, j)),
                Vector128.CreateScalarUnsafe(Unsafe.Add(ref cp, j)));
            Unsafe.Add(ref i0, j) = i.ToScalar(); Unsafe.Add(ref f0, j) = f.ToScalar(); Unsafe.Add(ref g0, j) = g.ToScalar(); Unsafe.Add(ref o0, j) = o.ToScalar();
            Unsafe.Add(ref cs, j) = cell.ToScalar(); Unsafe.Add(ref ts, j) = tc.ToScalar(); Unsafe.Add(ref hs, j) = (o * tc).ToScalar();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector128<float> I, Vector128<float> F, Vector128<float> G, Vector128<float> O, Vector128<float> C, Vector128<float> TanhC) Step(
        Vector128<float> zi, Vector128<float> zf, Vector128<float> zg, Vector128<float> zo, Vector128<float> cPrev)
    {
        var half = Vector128.Create(0.5f);
        var i = Vector128.FusedMultiplyAdd(half, RationalTanh.Of(half * zi), half);
        var f = Vector128.FusedMultiplyAdd(half, RationalTanh.Of(half * zf), half);
        var g = RationalTanh.Of(zg);
        var o = Vector128.FusedMultiplyAdd(half, RationalTanh.Of(half * zo), half);
        var cell = Vector128.FusedMultiplyAdd(i, g, f * cPrev);
        return (i, f, g, o, cell, RationalTanh.Of(cell));
    }
}
