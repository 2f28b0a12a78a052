using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// One LSTM step after its products: i, f, o = σ(z), g = tanh(z) (written back over the pre-activations),
/// c = fma(i, g, f * c_{t-1}), tanh(c), h = o * tanh(c). The same operations per element as
/// <see cref="ScalarGateKernels.Sigmoid"/>, <see cref="ScalarKernels.Tanh"/>, <see cref="ScalarGateKernels.LstmCell"/> and
/// <see cref="ScalarGateKernels.Multiply"/> one after the other (tests compare the bits), width-generic
/// (<see cref="Elementwise.Run"/>): in one pass over the gates where the machine has 32 vector registers (AVX-512), in
/// two where it has 16 (<see cref="OnePass"/>).
/// n = units (times the block's samples, batch-minor); gates packed [i, f, g, o] ([4n]).
/// </summary>
public static class LstmStepKernel
{
    // One pass computes five tanh per vector, and the JIT keeps their dozen constants in registers for the whole pass
    // (one load each, not one per use). With 16 registers (AVX2) that left too few for the values, and the pass spilled
    // and reloaded about 30 vectors per vector of units: the activations as three passes of one tanh each, then the
    // cell, take 2.0 us where the one pass took 3.2 us for 20 units x 32 samples on an AVX2 host (`Benchmarks lstm-step
    // 640`), and are ahead at every length measured (80 to 2560). With 32 (AVX-512) the one pass is kept: its constants and values fit
    // in the registers there (`lstm-step 640` on the AVX-512 EPYC: one pass 585 ns, two passes 3,708 ns)
    internal static bool OnePass => Vector512.IsHardwareAccelerated;

    // gates: [4n] pre-activations -> activated in place; cPrev: [n] -> c, tanhC, h: [n]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int n = cPrev.Length;
        if (gates.Length < 4 * n || c.Length < n || tanhC.Length < n || h.Length < n) throw new ArgumentException("spans differ in length");
        if (OnePass) InOnePass(gates, cPrev, c, tanhC, h);
        else InTwoPasses(gates, cPrev, c, tanhC, h);
    }

    // Forward's work in one pass. Each form is a method of its own, never inlined: tests run both on any host (the
    // lengths are checked by Forward). Inlined into Forward, when Forward was still tiered (recompiled with profile data),
    // the two passes' four tanh used up the JIT's inlining budget and RationalTanh.Of became a call, a slowdown that
    // InliningTests (every method compiled once, without profile data) did not see
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void InOnePass(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        var op = new OnePassOp(ref MemoryMarshal.GetReference(gates), cPrev.Length, ref MemoryMarshal.GetReference(cPrev), ref MemoryMarshal.GetReference(c),
            ref MemoryMarshal.GetReference(tanhC), ref MemoryMarshal.GetReference(h));
        Elementwise.Run(ref op, cPrev.Length);
    }

    // Forward's work in two passes: the activations (three kernels of one tanh each), then the cell and h
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    internal static void InTwoPasses(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h)
    {
        int n = cPrev.Length;
        GateKernels.Sigmoid(gates[..(2 * n)], gates[..(2 * n)]);
        SimdKernels.Tanh(gates.Slice(2 * n, n), gates.Slice(2 * n, n));
        GateKernels.Sigmoid(gates.Slice(3 * n, n), gates.Slice(3 * n, n));
        var op = new CellOp(ref MemoryMarshal.GetReference(gates), n, ref MemoryMarshal.GetReference(cPrev), ref MemoryMarshal.GetReference(c),
            ref MemoryMarshal.GetReference(tanhC), ref MemoryMarshal.GetReference(h));
        Elementwise.Run(ref op, n);
    }

    // gates: [4n] with the gate g's unit j at g*n + j
    private readonly ref struct OnePassOp(ref float gates, nint n, ref float cPrev, ref float c, ref float tanhC, ref float h) : IElementwiseOp
    {
        private readonly ref float gates = ref gates, cPrev = ref cPrev, c = ref c, tanhC = ref tanhC, h = ref h;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var i = GateKernels.SigmoidOf(TM.Load(ref gates, at));
            var f = GateKernels.SigmoidOf(TM.Load(ref gates, n + at));
            var g = RationalTanh.Of(TM.Load(ref gates, 2 * n + at));
            var o = GateKernels.SigmoidOf(TM.Load(ref gates, 3 * n + at));
            var cell = TV.FusedMultiplyAdd(i, g, f * TM.Load(ref cPrev, at));
            var tc = RationalTanh.Of(cell);
            TM.Store(i, ref gates, at);
            TM.Store(f, ref gates, n + at);
            TM.Store(g, ref gates, 2 * n + at);
            TM.Store(o, ref gates, 3 * n + at);
            TM.Store(cell, ref c, at);
            TM.Store(tc, ref tanhC, at);
            TM.Store(o * tc, ref h, at);
        }
    }

    // gates: [4n] activated, as above -> c = fma(i, g, f * c_{t-1}), tanh(c), h = o * tanh(c)
    private readonly ref struct CellOp(ref float gates, nint n, ref float cPrev, ref float c, ref float tanhC, ref float h) : IElementwiseOp
    {
        private readonly ref float gates = ref gates, cPrev = ref cPrev, c = ref c, tanhC = ref tanhC, h = ref h;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var cell = TV.FusedMultiplyAdd(TM.Load(ref gates, at), TM.Load(ref gates, 2 * n + at), TM.Load(ref gates, n + at) * TM.Load(ref cPrev, at));
            var tc = RationalTanh.Of(cell);
            TM.Store(cell, ref c, at);
            TM.Store(tc, ref tanhC, at);
            TM.Store(TM.Load(ref gates, 3 * n + at) * tc, ref h, at);
        }
    }
}
