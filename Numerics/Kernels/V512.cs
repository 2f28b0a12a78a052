using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>16 floats: <see cref="IVector{TSelf}"/> on <see cref="Vector512{T}"/> (AVX-512).</summary>
public readonly struct V512(Vector512<float> value) : IVector<V512>, IVectorMemory<V512>
{
    public Vector512<float> Value { get; } = value;

    public static int Count => Vector512<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 Load(ref float source, nint at) => new(Vector512.LoadUnsafe(ref source, (nuint)at));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(V512 value, ref float destination, nint at) => value.Value.StoreUnsafe(ref destination, (nuint)at);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 Broadcast(float value) => new(Vector512.Create(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 operator +(V512 a, V512 b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 operator -(V512 a, V512 b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 operator *(V512 a, V512 b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 operator /(V512 a, V512 b) => new(a.Value / b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 operator -(V512 a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 FusedMultiplyAdd(V512 a, V512 b, V512 c) => new(Vector512.FusedMultiplyAdd(a.Value, b.Value, c.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 Min(V512 a, V512 b) => new(Vector512.MinNative(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 Max(V512 a, V512 b) => new(Vector512.MaxNative(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 Abs(V512 a) => new(Vector512.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 Sqrt(V512 a) => new(Vector512.Sqrt(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 WhereLessThan(V512 a, V512 b, V512 ifTrue, V512 ifFalse) =>
        new(Vector512.ConditionalSelect(Vector512.LessThan(a.Value, b.Value), ifTrue.Value, ifFalse.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V512 WhereGreaterThan(V512 a, V512 b, V512 ifTrue, V512 ifFalse) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.Value, b.Value), ifTrue.Value, ifFalse.Value));
}
