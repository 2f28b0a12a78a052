using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// SIMD kernels of Conv1D (ReLU and its derivative) and of LnSimpleRnn (the element-wise parts of layer
/// normalisation; its mean and variance are sequential scalar sums in the layer). As in <see cref="SimdKernels"/>:
/// one width-generic body each, run by <see cref="Elementwise.Run"/>, with the same operations per element (fused
/// multiply-adds included), so every element's bits are those of <see cref="ScalarConvKernels"/> whatever the vector
/// width or the element's position.
/// </summary>
public static class ConvKernels
{
    // z: [n] -> y: [n] = z > 0 ? z : 0 (NaN and -0 give +0); y may be z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(ReadOnlySpan<float> z, Span<float> y)
    {
        if (y.Length < z.Length) throw new ArgumentException("destination is shorter than the source", nameof(y));
        var op = new ReluOp(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(y));
        Elementwise.Run(ref op, z.Length);
    }

    private readonly ref struct ReluOp(ref float z, ref float y) : IElementwiseOp
    {
        private readonly ref float z = ref z, y = ref y;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var v = TM.Load(ref z, at);
            var zero = TV.Broadcast(0f);
            TM.Store(TV.Select(TV.GreaterThan(v, zero), v, zero), ref y, at);
        }
    }

    // y, dy: [n] -> dz: [n] = y > 0 ? dy : 0, the derivative of y = relu(z); dz may be dy
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        if (dy.Length < y.Length || dz.Length < y.Length) throw new ArgumentException("spans differ in length");
        var op = new ReluBackwardOp(ref MemoryMarshal.GetReference(y), ref MemoryMarshal.GetReference(dy), ref MemoryMarshal.GetReference(dz));
        Elementwise.Run(ref op, y.Length);
    }

    private readonly ref struct ReluBackwardOp(ref float y, ref float dy, ref float dz) : IElementwiseOp
    {
        private readonly ref float y = ref y, dy = ref dy, dz = ref dz;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var zero = TV.Broadcast(0f);
            TM.Store(TV.Select(TV.GreaterThan(TM.Load(ref y, at), zero), TM.Load(ref dy, at), zero), ref dz, at);
        }
    }

    // z, gamma, beta: [n] -> normalised: [n] = (z - mean) * rstd, a: [n] = normalised * gamma + beta (fused); a may be z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNorm(ReadOnlySpan<float> z, float mean, float rstd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> normalised, Span<float> a)
    {
        int n = z.Length;
        if (gamma.Length < n || beta.Length < n || normalised.Length < n || a.Length < n) throw new ArgumentException("spans differ in length");
        var op = new LayerNormOp(ref MemoryMarshal.GetReference(z), mean, rstd, ref MemoryMarshal.GetReference(gamma),
            ref MemoryMarshal.GetReference(beta), ref MemoryMarshal.GetReference(normalised), ref MemoryMarshal.GetReference(a));
        Elementwise.Run(ref op, n);
    }

    private readonly ref struct LayerNormOp(ref float z, float mean, float rstd, ref float gamma, ref float beta, ref float normalised,
        ref float a) : IElementwiseOp
    {
        private readonly ref float z = ref z, gamma = ref gamma, beta = ref beta, normalised = ref normalised, a = ref a;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var nv = (TM.Load(ref z, at) - TV.Broadcast(mean)) * TV.Broadcast(rstd);
            TM.Store(nv, ref normalised, at);
            TM.Store(TV.FusedMultiplyAdd(nv, TM.Load(ref gamma, at), TM.Load(ref beta, at)), ref a, at);
        }
    }

    // dn, normalised: [n] -> dz: [n] = (dn - meanDn - normalised * meanDnN) * rstd (the inner multiply-add fused)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNormBackward(ReadOnlySpan<float> dn, ReadOnlySpan<float> normalised, float meanDn, float meanDnN,
        float rstd, Span<float> dz)
    {
        if (normalised.Length < dn.Length || dz.Length < dn.Length) throw new ArgumentException("spans differ in length");
        var op = new LayerNormBackwardOp(ref MemoryMarshal.GetReference(dn), ref MemoryMarshal.GetReference(normalised), meanDn, meanDnN, rstd,
            ref MemoryMarshal.GetReference(dz));
        Elementwise.Run(ref op, dn.Length);
    }

    private readonly ref struct LayerNormBackwardOp(ref float dn, ref float normalised, float meanDn, float meanDnN, float rstd,
        ref float dz) : IElementwiseOp
    {
        private readonly ref float dn = ref dn, normalised = ref normalised, dz = ref dz;

        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(TV.FusedMultiplyAdd(-TM.Load(ref normalised, at), TV.Broadcast(meanDnN), TM.Load(ref dn, at) - TV.Broadcast(meanDn))
                * TV.Broadcast(rstd), ref dz, at);
    }
}
