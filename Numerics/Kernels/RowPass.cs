using System.Runtime.CompilerServices;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// One pass over a row of n elements (n at least one vector) that keeps up to four vectors of it in registers while
/// something streams past them (a product's k loop, rows to add): where its vectors start (vector i at min(i W, n - W),
/// so the last may overlap the one before it; a pass of fewer than four repeats its last), and how many it takes (never
/// leaving the last vector alone for the next pass, so no vector reads what an earlier pass stored); <see cref="Count"/>
/// 0 past the row. Overlapping vectors start from the same values and take the same operations, so the shared elements
/// get the same bits twice. Used by BlockProduct's single rows and SimdKernels.AddRowGroups.
/// </summary>
internal readonly record struct RowPass(int Start, int Count, nint P0, nint P1, nint P2, nint P3)
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static RowPass First<TV>(int n) where TV : struct, IVector<TV>, IVectorMemory<TV> => From<TV>(0, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public RowPass Next<TV>(int n) where TV : struct, IVector<TV>, IVectorMemory<TV> => From<TV>(Start + Count, n);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static RowPass From<TV>(int first, int n) where TV : struct, IVector<TV>, IVectorMemory<TV>
    {
        int left = (n + TV.Count - 1) / TV.Count - first, count = left <= 4 ? left : Math.Min(4, left - 2);
        if (count <= 0) return new(first, 0, 0, 0, 0, 0);
        return new(first, count, At(first), At(first + Math.Min(1, count - 1)), At(first + Math.Min(2, count - 1)), At(first + count - 1));
        nint At(int i) => Math.Min(i * TV.Count, n - TV.Count);
    }
}
