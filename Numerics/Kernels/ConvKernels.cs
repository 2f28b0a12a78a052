using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// SIMD kernels of Conv1D (ReLU and its derivative) and of LayerNormSimpleRnnCell (the element-wise parts of layer
/// normalisation; its mean and variance are sequential scalar sums in the cell). As in <see cref="SimdKernels"/>:
/// one width-generic operator each, run by <c>Elementwise.Map</c> (LayerNorm, with two outputs, an op run by
/// <see cref="Elementwise.Run"/>), with the same operations per element (fused
/// multiply-adds included), so every element's bits are those of <see cref="ScalarConvKernels"/> whatever the vector
/// width or the element's position.
/// </summary>
public static class ConvKernels
{
    // z: [n] -> y: [n] = z > 0 ? z : 0 (NaN and -0 give +0); y may be z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(ReadOnlySpan<float> z, Span<float> y) => Elementwise.Map(new ReluOperator(), z, y);

    // y, dy: [n] -> dz: [n] = y > 0 ? dy : 0, the derivative of y = relu(z); dz may be dy
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz) =>
        Elementwise.Map(new ReluBackwardOperator(), y, dy, dz);

    private readonly struct ReluOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV z) where TV : struct, IVector<TV> => TV.WhereGreaterThan(z, TV.Broadcast(0f), z, TV.Broadcast(0f));
    }

    private readonly struct ReluBackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV y, TV dy) where TV : struct, IVector<TV> => TV.WhereGreaterThan(y, TV.Broadcast(0f), dy, TV.Broadcast(0f));
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

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var nv = Normalise(TM.Load(ref z, at), TV.Broadcast(mean), TV.Broadcast(rstd));
            TM.Store(nv, ref normalised, at);
            TM.Store(TV.FusedMultiplyAdd(nv, TM.Load(ref gamma, at), TM.Load(ref beta, at)), ref a, at);
        }
    }

    // (z - mean) * rstd on every lane
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Normalise<TV>(TV z, TV mean, TV rstd) where TV : struct, IVector<TV> => (z - mean) * rstd;

    // (dn - meanDn - normalised * meanDnN) * rstd on every lane (the inner multiply-add fused)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV NormaliseBackward<TV>(TV dn, TV normalised, TV meanDn, TV meanDnN, TV rstd) where TV : struct, IVector<TV> =>
        TV.FusedMultiplyAdd(-normalised, meanDnN, dn - meanDn) * rstd;

    // Batch-minor (lanes = samples): z, mean, rstd: [n] (one unit of n samples, each with its own mean and rstd)
    //   -> normalised: [n] = (z - mean) * rstd, a: [n] = normalised * gamma + beta (fused; gamma, beta: the unit's); a may be z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNormLanes(ReadOnlySpan<float> z, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, float gamma, float beta,
        Span<float> normalised, Span<float> a)
    {
        int n = z.Length;
        if (mean.Length < n || rstd.Length < n || normalised.Length < n || a.Length < n) throw new ArgumentException("spans differ in length");
        var op = new LayerNormLanesOp(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(mean), ref MemoryMarshal.GetReference(rstd),
            gamma, beta, ref MemoryMarshal.GetReference(normalised), ref MemoryMarshal.GetReference(a));
        Elementwise.Run(ref op, n);
    }

    private readonly ref struct LayerNormLanesOp(ref float z, ref float mean, ref float rstd, float gamma, float beta, ref float normalised,
        ref float a) : IElementwiseOp
    {
        private readonly ref float z = ref z, mean = ref mean, rstd = ref rstd, normalised = ref normalised, a = ref a;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var nv = Normalise(TM.Load(ref z, at), TM.Load(ref mean, at), TM.Load(ref rstd, at));
            TM.Store(nv, ref normalised, at);
            TM.Store(TV.FusedMultiplyAdd(nv, TV.Broadcast(gamma), TV.Broadcast(beta)), ref a, at);
        }
    }

    // dn, normalised: [n] -> dz: [n] = (dn - meanDn - normalised * meanDnN) * rstd (the inner multiply-add fused)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNormBackward(ReadOnlySpan<float> dn, ReadOnlySpan<float> normalised, float meanDn, float meanDnN,
        float rstd, Span<float> dz) => Elementwise.Map(new LayerNormBackwardOperator(meanDn, meanDnN, rstd), dn, normalised, dz);

    private readonly struct LayerNormBackwardOperator(float meanDn, float meanDnN, float rstd) : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV dn, TV normalised) where TV : struct, IVector<TV> =>
            NormaliseBackward(dn, normalised, TV.Broadcast(meanDn), TV.Broadcast(meanDnN), TV.Broadcast(rstd));
    }

    // Batch-minor (lanes = samples): dn, normalised, meanDn, meanDnN, rstd: [n] (one unit of n samples)
    //   -> dz: [n] = (dn - meanDn - normalised * meanDnN) * rstd (the inner multiply-add fused)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNormBackwardLanes(ReadOnlySpan<float> dn, ReadOnlySpan<float> normalised, ReadOnlySpan<float> meanDn,
        ReadOnlySpan<float> meanDnN, ReadOnlySpan<float> rstd, Span<float> dz)
    {
        int n = dn.Length;
        if (normalised.Length < n || meanDn.Length < n || meanDnN.Length < n || rstd.Length < n || dz.Length < n) throw new ArgumentException("spans differ in length");
        var op = new LayerNormBackwardLanesOp(ref MemoryMarshal.GetReference(dn), ref MemoryMarshal.GetReference(normalised),
            ref MemoryMarshal.GetReference(meanDn), ref MemoryMarshal.GetReference(meanDnN), ref MemoryMarshal.GetReference(rstd),
            ref MemoryMarshal.GetReference(dz));
        Elementwise.Run(ref op, n);
    }

    private readonly ref struct LayerNormBackwardLanesOp(ref float dn, ref float normalised, ref float meanDn, ref float meanDnN, ref float rstd,
        ref float dz) : IElementwiseOp
    {
        private readonly ref float dn = ref dn, normalised = ref normalised, meanDn = ref meanDn, meanDnN = ref meanDnN, rstd = ref rstd, dz = ref dz;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(NormaliseBackward(TM.Load(ref dn, at), TM.Load(ref normalised, at), TM.Load(ref meanDn, at), TM.Load(ref meanDnN, at),
                TM.Load(ref rstd, at)), ref dz, at);
    }
}
