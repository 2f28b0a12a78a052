using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// SIMD kernels of Conv1D (ReLU and its derivative) and of LnSimpleRnn (the element-wise parts of layer
/// normalisation; its mean and variance are sequential scalar sums in the layer). As in <see cref="SimdKernels"/>:
/// the widest vector first (512, 256, then 128 bits), then the remainder one element at a time with the same
/// operation per element, fused multiply-adds in both, so every element's bits are those of
/// <see cref="ScalarConvKernels"/> whatever the vector width or the element's position.
/// </summary>
public static class ConvKernels
{
    // z: [n] -> y: [n] = z > 0 ? z : 0 (NaN and -0 give +0); y may be z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Relu(ReadOnlySpan<float> z, Span<float> y)
    {
        int n = z.Length;
        if (y.Length < n) throw new ArgumentException("destination is shorter than the source", nameof(y));
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var v = Vector512.LoadUnsafe(ref zs, (nuint)j);
                Vector512.ConditionalSelect(Vector512.GreaterThan(v, Vector512<float>.Zero), v, Vector512<float>.Zero).StoreUnsafe(ref ys, (nuint)j);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref zs, (nuint)j);
                Vector256.ConditionalSelect(Vector256.GreaterThan(v, Vector256<float>.Zero), v, Vector256<float>.Zero).StoreUnsafe(ref ys, (nuint)j);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                var v = Vector128.LoadUnsafe(ref zs, (nuint)j);
                Vector128.ConditionalSelect(Vector128.GreaterThan(v, Vector128<float>.Zero), v, Vector128<float>.Zero).StoreUnsafe(ref ys, (nuint)j);
            }
        for (; j < n; j++)
        {
            float v = Unsafe.Add(ref zs, j);
            Unsafe.Add(ref ys, j) = v > 0f ? v : 0f;
        }
    }

    // y, dy: [n] -> dz: [n] = y > 0 ? dy : 0, the derivative of y = relu(z); dz may be dy
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dz)
    {
        int n = y.Length;
        if (dy.Length < n || dz.Length < n) throw new ArgumentException("spans differ in length");
        ref float ys = ref MemoryMarshal.GetReference(y);
        ref float dys = ref MemoryMarshal.GetReference(dy);
        ref float dzs = ref MemoryMarshal.GetReference(dz);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                Vector512.ConditionalSelect(Vector512.GreaterThan(Vector512.LoadUnsafe(ref ys, (nuint)j), Vector512<float>.Zero),
                    Vector512.LoadUnsafe(ref dys, (nuint)j), Vector512<float>.Zero).StoreUnsafe(ref dzs, (nuint)j);
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                Vector256.ConditionalSelect(Vector256.GreaterThan(Vector256.LoadUnsafe(ref ys, (nuint)j), Vector256<float>.Zero),
                    Vector256.LoadUnsafe(ref dys, (nuint)j), Vector256<float>.Zero).StoreUnsafe(ref dzs, (nuint)j);
        if (Vector128.IsHardwareAccelerated)
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
                Vector128.ConditionalSelect(Vector128.GreaterThan(Vector128.LoadUnsafe(ref ys, (nuint)j), Vector128<float>.Zero),
                    Vector128.LoadUnsafe(ref dys, (nuint)j), Vector128<float>.Zero).StoreUnsafe(ref dzs, (nuint)j);
        for (; j < n; j++) Unsafe.Add(ref dzs, j) = Unsafe.Add(ref ys, j) > 0f ? Unsafe.Add(ref dys, j) : 0f;
    }

    // z, gamma, beta: [n] -> normalised: [n] = (z - mean) * rstd, a: [n] = normalised * gamma + beta (fused); a may be z
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNorm(ReadOnlySpan<float> z, float mean, float rstd, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> normalised, Span<float> a)
    {
        int n = z.Length;
        if (gamma.Length < n || beta.Length < n || normalised.Length < n || a.Length < n) throw new ArgumentException("spans differ in length");
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float gs = ref MemoryMarshal.GetReference(gamma);
        ref float bs = ref MemoryMarshal.GetReference(beta);
        ref float ns = ref MemoryMarshal.GetReference(normalised);
        ref float @as = ref MemoryMarshal.GetReference(a);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var m = Vector512.Create(mean);
            var r = Vector512.Create(rstd);
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var nv = (Vector512.LoadUnsafe(ref zs, (nuint)j) - m) * r;
                nv.StoreUnsafe(ref ns, (nuint)j);
                Vector512.FusedMultiplyAdd(nv, Vector512.LoadUnsafe(ref gs, (nuint)j), Vector512.LoadUnsafe(ref bs, (nuint)j)).StoreUnsafe(ref @as, (nuint)j);
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var m = Vector256.Create(mean);
            var r = Vector256.Create(rstd);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var nv = (Vector256.LoadUnsafe(ref zs, (nuint)j) - m) * r;
                nv.StoreUnsafe(ref ns, (nuint)j);
                Vector256.FusedMultiplyAdd(nv, Vector256.LoadUnsafe(ref gs, (nuint)j), Vector256.LoadUnsafe(ref bs, (nuint)j)).StoreUnsafe(ref @as, (nuint)j);
            }
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var m = Vector128.Create(mean);
            var r = Vector128.Create(rstd);
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                var nv = (Vector128.LoadUnsafe(ref zs, (nuint)j) - m) * r;
                nv.StoreUnsafe(ref ns, (nuint)j);
                Vector128.FusedMultiplyAdd(nv, Vector128.LoadUnsafe(ref gs, (nuint)j), Vector128.LoadUnsafe(ref bs, (nuint)j)).StoreUnsafe(ref @as, (nuint)j);
            }
        }
        for (; j < n; j++)
        {
            float nj = (Unsafe.Add(ref zs, j) - mean) * rstd;
            Unsafe.Add(ref ns, j) = nj;
            Unsafe.Add(ref @as, j) = MathF.FusedMultiplyAdd(nj, Unsafe.Add(ref gs, j), Unsafe.Add(ref bs, j));
        }
    }

    // dn, normalised: [n] -> dz: [n] = (dn - meanDn - normalised * meanDnN) * rstd (the inner multiply-add fused)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LayerNormBackward(ReadOnlySpan<float> dn, ReadOnlySpan<float> normalised, float meanDn, float meanDnN,
        float rstd, Span<float> dz)
    {
        int n = dn.Length;
        if (normalised.Length < n || dz.Length < n) throw new ArgumentException("spans differ in length");
        ref float dns = ref MemoryMarshal.GetReference(dn);
        ref float ns = ref MemoryMarshal.GetReference(normalised);
        ref float dzs = ref MemoryMarshal.GetReference(dz);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var m1 = Vector512.Create(meanDn);
            var m2 = Vector512.Create(meanDnN);
            var r = Vector512.Create(rstd);
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                (Vector512.FusedMultiplyAdd(-Vector512.LoadUnsafe(ref ns, (nuint)j), m2, Vector512.LoadUnsafe(ref dns, (nuint)j) - m1) * r)
                    .StoreUnsafe(ref dzs, (nuint)j);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var m1 = Vector256.Create(meanDn);
            var m2 = Vector256.Create(meanDnN);
            var r = Vector256.Create(rstd);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                (Vector256.FusedMultiplyAdd(-Vector256.LoadUnsafe(ref ns, (nuint)j), m2, Vector256.LoadUnsafe(ref dns, (nuint)j) - m1) * r)
                    .StoreUnsafe(ref dzs, (nuint)j);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var m1 = Vector128.Create(meanDn);
            var m2 = Vector128.Create(meanDnN);
            var r = Vector128.Create(rstd);
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
                (Vector128.FusedMultiplyAdd(-Vector128.LoadUnsafe(ref ns, (nuint)j), m2, Vector128.LoadUnsafe(ref dns, (nuint)j) - m1) * r)
                    .StoreUnsafe(ref dzs, (nuint)j);
        }
        for (; j < n; j++)
            Unsafe.Add(ref dzs, j) = MathF.FusedMultiplyAdd(-Unsafe.Add(ref ns, j), meanDnN, Unsafe.Add(ref dns, j) - meanDn) * rstd;
    }
}
