using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>8 floats: <see cref="IVector{TSelf}"/> on <see cref="Vector256{T}"/> (AVX2).</summary>
public readonly struct V256(Vector256<float> value) : IVector<V256>, IVectorMemory<V256>
{
    public Vector256<float> Value { get; } = value;

    public static int Count => Vector256<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 Load(ref float source, nint at) => new(Vector256.LoadUnsafe(ref source, (nuint)at));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(V256 value, ref float destination, nint at) => value.Value.StoreUnsafe(ref destination, (nuint)at);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 Broadcast(float value) => new(Vector256.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 operator +(V256 a, V256 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 operator -(V256 a, V256 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 operator *(V256 a, V256 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 operator /(V256 a, V256 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 operator -(V256 a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 FusedMultiplyAdd(V256 a, V256 b, V256 c) => new(Vector256.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 Min(V256 a, V256 b) => new(Vector256.MinNative(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 Max(V256 a, V256 b) => new(Vector256.MaxNative(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 Abs(V256 a) => new(Vector256.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 Sqrt(V256 a) => new(Vector256.Sqrt(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 WhereLessThan(V256 a, V256 b, V256 ifTrue, V256 ifFalse) =>
        new(Vector256.ConditionalSelect(Vector256.LessThan(a.Value, b.Value), ifTrue.Value, ifFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V256 WhereGreaterThan(V256 a, V256 b, V256 ifTrue, V256 ifFalse) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.Value, b.Value), ifTrue.Value, ifFalse.Value));
}
