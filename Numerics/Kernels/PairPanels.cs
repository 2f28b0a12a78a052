using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// m of a large product copied a pair of 256-bit vectors of columns to a panel, for the six-row blocks of 16-register
/// hosts (<see cref="BlockProduct"/>): panel p, [depth, 16], holds the columns of the blocks' pair at 16 p (the first
/// vector at 16 p, the second at min(16 p + 8, n - 8), as the blocks take them). The blocks then read a pair's rows of
/// m one after the other instead of a row of m apart: rows of 256 columns lie 1 KB apart, so the 256 rows a block read
/// for one pair fell in 4 of the 64 sets of a 32 KB L1 cache (8 ways each), and every block read them from L2 again.
/// Packing moves values only: the products' bits are those of the unpacked blocks.
/// </summary>
internal static class PairPanels
{
    private static int W => V256.Count;

    [ThreadStatic] private static float[]? t_panels;

    /// <summary>
    /// Whether packing pays: four blocks of six rows or more read m, and the depth rows of a pair (a line of 64 bytes
    /// each) would fill more than half the L1 ways of the sets they fall in. Rows whose stride is not a whole number of
    /// lines spread over every set; rows 2^k lines apart (k up to 6) fall in 64 / 2^k sets.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool Fit(int rows, int depth, nint mRow)
    {
        const int Line = 64, Sets = 64, Ways = 8;
        long stride = Math.Abs((long)mRow) * sizeof(float);
        if (rows < 24 || stride % Line != 0) return false;
        long lines = stride / Line, sets = Sets;
        while (sets > 1 && lines % 2 == 0) (lines, sets) = (lines / 2, sets / 2);
        return depth > Ways * sets / 2;
    }

    // m: [depth, n] (rows mRow apart, n as BlockProduct.SixRowsFit) -> this thread's panels [ceil(n / 16), depth, 16]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static ReadOnlySpan<float> Pack(ref float m, nint mRow, int depth, int n)
    {
        int length = (n + 2 * W - 1) / (2 * W) * depth * 2 * W;
        if (t_panels is null || t_panels.Length < length) t_panels = new float[length];
        ref float panels = ref t_panels[0];
        nint at = 0;
        for (int j = 0; j < n; j += 2 * W)
        {
            nint j0 = j, j1 = Math.Min(j + W, n - W);
            ref float mk = ref m;
            for (int k = 0; k < depth; k++, at += 2 * W, mk = ref Unsafe.Add(ref mk, mRow))
            {
                Vector256.LoadUnsafe(ref mk, (nuint)j0).StoreUnsafe(ref panels, (nuint)at);
                Vector256.LoadUnsafe(ref mk, (nuint)j1).StoreUnsafe(ref panels, (nuint)(at + W));
            }
        }
        return t_panels.AsSpan(0, length);
    }
}
