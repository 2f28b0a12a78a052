using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The one loop of every element-wise kernel: the op over elements 0..n-1 with the widest vector the CPU accelerates
/// (512, then 256, then 128 bits, each as far as whole vectors fit), then the remainder one element at a time on
/// lane 0 of a 128-bit vector. Every element gets the same operations whatever its position, so its bits do not depend
/// on the width (<c>VectorWidthTests</c> checks that with narrower widths forced in a child process).
/// </summary>
public static class Elementwise
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Run<TOp>(ref TOp op, int n) where TOp : IElementwiseOp, allows ref struct
    {
        nint j = 0;
        if (Vector512.IsHardwareAccelerated) j = Loop<TOp, V512, V512>(ref op, j, n);
        if (Vector256.IsHardwareAccelerated) j = Loop<TOp, V256, V256>(ref op, j, n);
        if (Vector128.IsHardwareAccelerated) j = Loop<TOp, V128, V128>(ref op, j, n);
        Loop<TOp, Lane, V128>(ref op, j, n);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Loop<TOp, TMemory, TVector>(ref TOp op, nint j, int n) where TOp : IElementwiseOp, allows ref struct
        where TMemory : IVectorMemory<TVector> where TVector : struct, IVector<TVector>
    {
        for (; j <= n - TMemory.Count; j += TMemory.Count) op.Apply<TMemory, TVector>(j);
        return j;
    }
}
