using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// One float at a time, in lane 0 of a <see cref="V128"/>: the remainder of every kernel loop runs the vectors' code on
/// one lane, so its bits are those of any lane of the vector forms (for the lane-exact operations of
/// <see cref="IVector{TSelf}"/> they are also those of the scalar references).
/// </summary>
public readonly struct Lane : IVectorMemory<V128>
{
    public static int Count => 1;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 Load(ref float source, nint at) => new(Vector128.CreateScalarUnsafe(Unsafe.Add(ref source, at)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(V128 value, ref float destination, nint at) => Unsafe.Add(ref destination, at) = value.Value.ToScalar();
}
