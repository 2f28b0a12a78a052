using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The element-wise SIMD kernels of the layers (the matrix products are <see cref="BlockProduct"/>). Each walks its
/// span with the widest vector the CPU has (512, then 256, then 128 bits) and finishes the remainder one element at
/// a time, always with the same operation per element (IEEE add, multiply, divide, the rational tanh), so every
/// element's bits are those of <see cref="ScalarKernels"/> whatever the vector width or the element's position.
/// </summary>
public static class SimdKernels
{
    // y: [n] += x: [n]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(ReadOnlySpan<float> x, Span<float> y)
    {
        int n = x.Length;
        if (y.Length < n) throw new ArgumentException("destination is shorter than the source", nameof(y));
        ref float xs = ref MemoryMarshal.GetReference(x);
        ref float ys = ref MemoryMarshal.GetReference(y);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref ys, (nuint)j) + Vector512.LoadUnsafe(ref xs, (nuint)j)).StoreUnsafe(ref ys, (nuint)j);
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref ys, (nuint)j) + Vector256.LoadUnsafe(ref xs, (nuint)j)).StoreUnsafe(ref ys, (nuint)j);
        if (Vector128.IsHardwareAccelerated)
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
                (Vector128.LoadUnsafe(ref ys, (nuint)j) + Vector128.LoadUnsafe(ref xs, (nuint)j)).StoreUnsafe(ref ys, (nuint)j);
        for (; j < n; j++) Unsafe.Add(ref ys, j) += Unsafe.Add(ref xs, j);
    }

    // x: [n] /= divisor
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(Span<float> x, float divisor)
    {
        int n = x.Length;
        ref float xs = ref MemoryMarshal.GetReference(x);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var d = Vector512.Create(divisor);
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                (Vector512.LoadUnsafe(ref xs, (nuint)j) / d).StoreUnsafe(ref xs, (nuint)j);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var d = Vector256.Create(divisor);
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                (Vector256.LoadUnsafe(ref xs, (nuint)j) / d).StoreUnsafe(ref xs, (nuint)j);
        }
        if (Vector128.IsHardwareAccelerated)
        {
            var d = Vector128.Create(divisor);
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
                (Vector128.LoadUnsafe(ref xs, (nuint)j) / d).StoreUnsafe(ref xs, (nuint)j);
        }
        for (; j < n; j++) Unsafe.Add(ref xs, j) /= divisor;
    }

    // h: [n] = tanh(z: [n]) by RationalTanh, vector by vector; the remainder goes through the 128-bit code one
    // element at a time, so every element gets the same bits whatever its position (h may be z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh(ReadOnlySpan<float> z, Span<float> h)
    {
        int n = z.Length;
        if (h.Length < n) throw new ArgumentException("destination is shorter than the source", nameof(h));
        ref float zs = ref MemoryMarshal.GetReference(z);
        ref float hs = ref MemoryMarshal.GetReference(h);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
                RationalTanh.Of(Vector512.LoadUnsafe(ref zs, (nuint)j)).StoreUnsafe(ref hs, (nuint)j);
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
                RationalTanh.Of(Vector256.LoadUnsafe(ref zs, (nuint)j)).StoreUnsafe(ref hs, (nuint)j);
        for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            RationalTanh.Of(Vector128.LoadUnsafe(ref zs, (nuint)j)).StoreUnsafe(ref hs, (nuint)j);
        for (; j < n; j++) Unsafe.Add(ref hs, j) = RationalTanh.Of(Unsafe.Add(ref zs, j));
    }

    // h, dh: [n] -> dz: [n] = dh * (1 - h*h), the derivative of h = tanh(z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, Span<float> dz)
    {
        int n = h.Length;
        if (dh.Length < n || dz.Length < n) throw new ArgumentException("spans differ in length");
        ref float hs = ref MemoryMarshal.GetReference(h);
        ref float dhs = ref MemoryMarshal.GetReference(dh);
        ref float dzs = ref MemoryMarshal.GetReference(dz);
        int j = 0;
        if (Vector512.IsHardwareAccelerated)
            for (; j <= n - Vector512<float>.Count; j += Vector512<float>.Count)
            {
                var hv = Vector512.LoadUnsafe(ref hs, (nuint)j);
                (Vector512.LoadUnsafe(ref dhs, (nuint)j) * (Vector512<float>.One - hv * hv)).StoreUnsafe(ref dzs, (nuint)j);
            }
        if (Vector256.IsHardwareAccelerated)
            for (; j <= n - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var hv = Vector256.LoadUnsafe(ref hs, (nuint)j);
                (Vector256.LoadUnsafe(ref dhs, (nuint)j) * (Vector256<float>.One - hv * hv)).StoreUnsafe(ref dzs, (nuint)j);
            }
        if (Vector128.IsHardwareAccelerated)
            for (; j <= n - Vector128<float>.Count; j += Vector128<float>.Count)
            {
                var hv = Vector128.LoadUnsafe(ref hs, (nuint)j);
                (Vector128.LoadUnsafe(ref dhs, (nuint)j) * (Vector128<float>.One - hv * hv)).StoreUnsafe(ref dzs, (nuint)j);
            }
        for (; j < n; j++)
        {
            float hv = Unsafe.Add(ref hs, j);
            Unsafe.Add(ref dzs, j) = Unsafe.Add(ref dhs, j) * (1f - hv * hv);
        }
    }
}
