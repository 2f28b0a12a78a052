using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// One LSTM step of one sample after its products, in a single pass over the units: i, f, o = σ(z), g = tanh(z)
/// (written back over the pre-activations), c = fma(i, g, f * c_{t-1}), tanh(c), h = o * tanh(c). The same
/// operations per element as <see cref="ScalarGateKernels.Sigmoid"/>, <see cref="ScalarKernels.Tanh"/>,
/// <see cref="ScalarGateKernels.LstmCell"/> and <see cref="ScalarGateKernels.Multiply"/> one after the other (tests
/// compare the bits), in one width-generic pass over the gates (<see cref="Elementwise.Run"/>).
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
        var op = new ForwardOp(ref MemoryMarshal.GetReference(gates), n, ref MemoryMarshal.GetReference(cPrev), ref MemoryMarshal.GetReference(c),
            ref MemoryMarshal.GetReference(tanhC), ref MemoryMarshal.GetReference(h));
        Elementwise.Run(ref op, n);
    }

    // gates: [4n] with the gate g's unit j at g*n + j
    private readonly ref struct ForwardOp(ref float gates, nint n, ref float cPrev, ref float c, ref float tanhC, ref float h) : IElementwiseOp
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
}
