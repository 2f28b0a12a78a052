using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>4 floats: <see cref="IVector{TSelf}"/> on <see cref="Vector128{T}"/> (SSE, Arm64 AdvSimd); also the one-lane remainder (<see cref="Lane"/>).</summary>
public readonly struct V128(Vector128<float> value) : IVector<V128>, IVectorMemory<V128>
{
    public Vector128<float> Value { get; } = value;

    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 Load(ref float source, nint at) => new(Vector128.LoadUnsafe(ref source, (nuint)at));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(V128 value, ref float destination, nint at) => value.Value.StoreUnsafe(ref destination, (nuint)at);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 Broadcast(float value) => new(Vector128.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 operator +(V128 a, V128 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 operator -(V128 a, V128 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 operator *(V128 a, V128 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 operator /(V128 a, V128 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 operator -(V128 a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 FusedMultiplyAdd(V128 a, V128 b, V128 c) => new(Vector128.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 Min(V128 a, V128 b) => new(Vector128.MinNative(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 Max(V128 a, V128 b) => new(Vector128.MaxNative(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 Abs(V128 a) => new(Vector128.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 Sqrt(V128 a) => new(Vector128.Sqrt(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 WhereLessThan(V128 a, V128 b, V128 ifTrue, V128 ifFalse) =>
        new(Vector128.ConditionalSelect(Vector128.LessThan(a.Value, b.Value), ifTrue.Value, ifFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 WhereGreaterThan(V128 a, V128 b, V128 ifTrue, V128 ifFalse) =>
        new(Vector128.ConditionalSelect(Vector128.GreaterThan(a.Value, b.Value), ifTrue.Value, ifFalse.Value));
}
