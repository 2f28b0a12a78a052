using System.Runtime.CompilerServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The element-wise SIMD kernels of the layers (the matrix products are <see cref="BlockProduct"/>). Each is one
/// width-generic operator run by <c>Elementwise.Map</c> (the widest vector the CPU has, then narrower ones, then
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
        Elementwise.Map(new AddOperator(), y[..x.Length], x, y);
    }

    // x: [n] /= divisor
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(Span<float> x, float divisor) => Elementwise.Map(new DivideOperator(divisor), x, x);

    // h: [n] = tanh(z: [n]) by RationalTanh (h may be z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tanh(ReadOnlySpan<float> z, Span<float> h) => Elementwise.Map(new TanhOperator(), z, h);

    // h, dh: [n] -> dz: [n] = dh * (1 - h*h), the derivative of h = tanh(z)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void TanhBackward(ReadOnlySpan<float> h, ReadOnlySpan<float> dh, Span<float> dz) =>
        Elementwise.Map(new TanhBackwardOperator(), h, dh, dz);

    // y + x, in that order, as ScalarKernels.Add
    private readonly struct AddOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV x, TV y) where TV : struct, IVector<TV> => y + x;
    }

    private readonly struct DivideOperator(float divisor) : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV x) where TV : struct, IVector<TV> => x / TV.Broadcast(divisor);
    }

    private readonly struct TanhOperator : IUnaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV z) where TV : struct, IVector<TV> => RationalTanh.Of(z);
    }

    private readonly struct TanhBackwardOperator : IBinaryOperator
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public TV Invoke<TV>(TV h, TV dh) where TV : struct, IVector<TV> => dh * (TV.Broadcast(1f) - h * h);
    }
}
