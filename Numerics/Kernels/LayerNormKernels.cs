using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The element-wise SIMD kernels of layer normalisation in <c>LayerNormSimpleRnnCell</c>, batch-minor:
/// a call runs one unit over the block's n samples (lanes = samples), each sample with its own mean and rstd (the
/// sequential scalar sums of the cell). As in <see cref="SimdKernels"/>: an op run by <see cref="Elementwise.Run"/>
/// with the same operations per element (the multiply-adds fused), so every element's bits are those of
/// <see cref="ScalarLayerNormKernels"/> whatever the vector width or the element's position.
/// </summary>
public static class LayerNormKernels
{
    // z, mean, rstd: [n] -> normalised: [n] = (z - mean) * rstd, a: [n] = fma(normalised, gamma, beta) (the unit's gamma
    //   and beta); a may be z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> z, ReadOnlySpan<float> mean, ReadOnlySpan<float> rstd, float gamma, float beta,
        Span<float> normalised, Span<float> a)
    {
        int n = z.Length;
        if (mean.Length < n || rstd.Length < n || normalised.Length < n || a.Length < n) throw new ArgumentException("spans differ in length");
        var op = new ForwardOp(ref MemoryMarshal.GetReference(z), ref MemoryMarshal.GetReference(mean), ref MemoryMarshal.GetReference(rstd),
            gamma, beta, ref MemoryMarshal.GetReference(normalised), ref MemoryMarshal.GetReference(a));
        Elementwise.Run(ref op, n);
    }

    // dn, normalised, meanDn, meanDnN, rstd: [n] -> dz: [n] = (dn - meanDn - normalised * meanDnN) * rstd (the inner
    //   multiply-add fused)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> dn, ReadOnlySpan<float> normalised, ReadOnlySpan<float> meanDn,
        ReadOnlySpan<float> meanDnN, ReadOnlySpan<float> rstd, Span<float> dz)
    {
        int n = dn.Length;
        if (normalised.Length < n || meanDn.Length < n || meanDnN.Length < n || rstd.Length < n || dz.Length < n) throw new ArgumentException("spans differ in length");
        var op = new BackwardOp(ref MemoryMarshal.GetReference(dn), ref MemoryMarshal.GetReference(normalised),
            ref MemoryMarshal.GetReference(meanDn), ref MemoryMarshal.GetReference(meanDnN), ref MemoryMarshal.GetReference(rstd),
            ref MemoryMarshal.GetReference(dz));
        Elementwise.Run(ref op, n);
    }

    private readonly ref struct ForwardOp(ref float z, ref float mean, ref float rstd, float gamma, float beta, ref float normalised,
        ref float a) : IElementwiseOp
    {
        private readonly ref float z = ref z, mean = ref mean, rstd = ref rstd, normalised = ref normalised, a = ref a;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            var nv = (TM.Load(ref z, at) - TM.Load(ref mean, at)) * TM.Load(ref rstd, at);
            TM.Store(nv, ref normalised, at);
            TM.Store(TV.FusedMultiplyAdd(nv, TV.Broadcast(gamma), TV.Broadcast(beta)), ref a, at);
        }
    }

    private readonly ref struct BackwardOp(ref float dn, ref float normalised, ref float meanDn, ref float meanDnN, ref float rstd,
        ref float dz) : IElementwiseOp
    {
        private readonly ref float dn = ref dn, normalised = ref normalised, meanDn = ref meanDn, meanDnN = ref meanDnN, rstd = ref rstd, dz = ref dz;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply<TM, TV>(nint at) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> =>
            TM.Store(TV.FusedMultiplyAdd(-TM.Load(ref normalised, at), TM.Load(ref meanDnN, at), TM.Load(ref dn, at) - TM.Load(ref meanDn, at))
                * TM.Load(ref rstd, at), ref dz, at);
    }
}
