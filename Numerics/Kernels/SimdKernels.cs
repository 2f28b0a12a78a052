using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The element-wise SIMD kernels of the layers (the matrix products are <see cref="BlockProduct"/>). Each is one
/// width-generic body run by <see cref="Elementwise.Run"/> (the widest vector the CPU has, then narrower ones, then
/// the remainder on one lane), always with the same operation per element (IEEE add, multiply, divide, the rational
/// tanh), so every element's bits are those of <see cref="ScalarKernels"/> whatever the vector width or the
/// element's position.
/// </summary>
public static class SimdKernels
{
    // y: [n] += x: [n]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        if (y.Length < x.Length) throw new ArgumentException("destination is shorter than the source", nameof(y));
        var op = new AddOp(ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(y));
        Elementwise.Run(ref op, x.Length);
    }

    private readonly ref struct AddOp(ref float x, ref float y) : IElementwiseOp
    {
        private readonly ref float x = ref x, y = ref y;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(TM.Load(ref y, at) + TM.Load(ref x, at), ref y, at);
    }

    // x: [n] /= divisor
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(Span<float> x, float divisor)
    {
        var op = new DivideOp(ref MemoryMarshal.GetReference(x), divisor);
        Elementwise.Run(ref op, x.Length);
    }

    private readonly ref struct DivideOp(ref float x, float divisor) : IElementwiseOp
    {
        private readonly ref float x = ref x;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(TM.Load(ref x, at) / TV.Broadcast(divisor), ref x, at);
    }

    // h: [n] = tanh(z: [n]) by RationalTanh (h may be z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh(ReadOnlySpan<float> z, Span<float> h)
    {
        if (h.Length < z.Length) throw new ArgumentException("destination is shorter than the source", nameof(h));
        var op = new TanhOp(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(h));
        Elementwise.Run(ref op, z.Length);
    }

    private readonly ref struct TanhOp(ref float z, ref float h) : IElementwiseOp
    {
        private readonly ref float z = ref z, h = ref h;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(RationalTanh.Of(TM.Load(ref z, at)), ref h, at);
    }

    // h, dh: [n] -> dz: [n] = dh * (1 - h*h), the derivative of h = tanh(z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, Span<float> dz)
    {
        if (dh.Length < h.Length || dz.Length < h.Length) throw new ArgumentException("spans differ in length");
        var op = new TanhBackwardOp(ref MemoryMarshal.GetReference(h), ref MemoryMarshal.GetReference(dh), ref MemoryMarshal.GetReference(dz));
        Elementwise.Run(ref op, h.Length);
    }

    private readonly ref struct TanhBackwardOp(ref float h, ref float dh, ref float dz) : IElementwiseOp
    {
        private readonly ref float h = ref h, dh = ref dh, dz = ref dz;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var hv = TM.Load(ref h, at);
            TM.Store(TM.Load(ref dh, at) * (TV.Broadcast(1f) - hv * hv), ref dz, at);
        }
    }
}
