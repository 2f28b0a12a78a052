using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The products of <see cref="BlockProduct"/> whose columns end 4, 8 or 12 past a 512-bit vector (20, 24, 28 columns:
/// a 20-unit layer's weight gradients, the chapter GRU's 60 = 32 + 28) and whose a has its rows adjacent (a read
/// transposed, as every weight gradient reads x^T). Their last columns would take a 128- or 256-bit vector per row,
/// a quarter or half of a register for the same instructions; here they are packed four rows by four columns to a
/// 512-bit vector (lane 4i + c: row i, column c), a's four rows expanded from one 128-bit load (each repeated four
/// times) and m's four columns repeated four times, so 8 rows by 20 columns take 10 multiply-adds per k instead of 16.
/// Every c[r, j] still starts from its stored value and adds a[r, k] m[k, j] for k = 0, 1, ... in order, one fused
/// multiply-add each: the bits of every other block.
/// </summary>
internal static class QuadColumns
{
    /// <summary>Whether the last <paramref name="columns"/> columns of a product whose a has this row stride run here.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static bool Fits(nint aRow, int columns) => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && aRow == 1 && columns is 20 or 24 or 28;

    /// <summary>
    /// c[r .. r + rows, j .. j + columns] += a m for 4, 8 or 12 rows and 20, 24 or 28 columns (<see cref="Fits"/>): a points
    /// at a[r, 0] (rows adjacent, k a step apart), m at m[0, j], c at c[r, j].
    /// </summary>
    public static void MultiplyAdd(int rows, ref float a, nint step, ref float m, nint mRow, int depth, ref float c, nint cRow, int columns)
    {
        if (rows == 4) Quads<Four>(ref a, step, ref m, mRow, depth, ref c, cRow, columns);
        else if (rows == 8) Quads<Eight>(ref a, step, ref m, mRow, depth, ref c, cRow, columns);
        else Quads<Twelve>(ref a, step, ref m, mRow, depth, ref c, cRow, columns);
    }

    // the columns past the first vector: 1, 2 or 3 quads
    private static void Quads<TRows>(ref float a, nint step, ref float m, nint mRow, int depth, ref float c, nint cRow, int columns)
        where TRows : struct, ICount
    {
        int quads = (columns - Vector512<float>.Count) / 4;
        if (quads == 1) Block<TRows, One>(ref a, step, ref m, mRow, depth, ref c, cRow);
        else if (quads == 2) Block<TRows, Two>(ref a, step, ref m, mRow, depth, ref c, cRow);
        else Block<TRows, Three>(ref a, step, ref m, mRow, depth, ref c, cRow);
    }

    // the block's rows (4, 8 or 12) and quads of columns (1 to 3) as types, so that each block is compiled with them as
    // constants: no branch in the k loop, every accumulator in a register
    private interface ICount { static abstract int Value { get; } }
    private struct Four : ICount { public static int Value => 4; }
    private struct Eight : ICount { public static int Value => 8; }
    private struct Twelve : ICount { public static int Value => 12; }
    private struct One : ICount { public static int Value => 1; }
    private struct Two : ICount { public static int Value => 2; }
    private struct Three : ICount { public static int Value => 3; }

    // a: [4, 8 or 12 rows, depth] (rows adjacent), m: [depth, 16 + 4 quads] -> c: [rows, 16 + 4 quads] += a m. Rows go
    // in groups of four: group g's rows 4g .. 4g + 3 hold columns 0..15 in v[4g + i] and the quads in p[g][q]
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Block<TRows, TQuads>(ref float a, nint step, ref float m, nint mRow, int depth, ref float c, nint cRow)
        where TRows : struct, ICount where TQuads : struct, ICount
    {
        bool g1 = TRows.Value >= 8, g2 = TRows.Value >= 12;
        int quads = TQuads.Value;
        ref float c4 = ref Unsafe.Add(ref c, 4 * cRow);
        ref float c8 = ref Unsafe.Add(ref c, 8 * cRow);
        var v0 = Vector512.LoadUnsafe(ref c); var v1 = Vector512.LoadUnsafe(ref c, (nuint)cRow);
        var v2 = Vector512.LoadUnsafe(ref c, (nuint)(2 * cRow)); var v3 = Vector512.LoadUnsafe(ref c, (nuint)(3 * cRow));
        var v4 = g1 ? Vector512.LoadUnsafe(ref c4) : default; var v5 = g1 ? Vector512.LoadUnsafe(ref c4, (nuint)cRow) : default;
        var v6 = g1 ? Vector512.LoadUnsafe(ref c4, (nuint)(2 * cRow)) : default; var v7 = g1 ? Vector512.LoadUnsafe(ref c4, (nuint)(3 * cRow)) : default;
        var v8 = g2 ? Vector512.LoadUnsafe(ref c8) : default; var v9 = g2 ? Vector512.LoadUnsafe(ref c8, (nuint)cRow) : default;
        var v10 = g2 ? Vector512.LoadUnsafe(ref c8, (nuint)(2 * cRow)) : default; var v11 = g2 ? Vector512.LoadUnsafe(ref c8, (nuint)(3 * cRow)) : default;
        var p00 = LoadQuad(ref c, cRow, 16); var p01 = quads > 1 ? LoadQuad(ref c, cRow, 20) : default; var p02 = quads > 2 ? LoadQuad(ref c, cRow, 24) : default;
        var p10 = g1 ? LoadQuad(ref c4, cRow, 16) : default; var p11 = g1 && quads > 1 ? LoadQuad(ref c4, cRow, 20) : default;
        var p12 = g1 && quads > 2 ? LoadQuad(ref c4, cRow, 24) : default;
        var p20 = g2 ? LoadQuad(ref c8, cRow, 16) : default; var p21 = g2 && quads > 1 ? LoadQuad(ref c8, cRow, 20) : default;
        var p22 = g2 && quads > 2 ? LoadQuad(ref c8, cRow, 24) : default;
        // constants, not static fields: a static field's first-use check is a call, and every vector would be spilled around it
        var repeatRows = Vector512.Create(0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3);
        var repeatColumns = Vector512.Create(0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3);
        ref float ak = ref a;
        ref float mk = ref m;
        for (int k = 0; k < depth; k++)
        {
            var w = Vector512.LoadUnsafe(ref mk);
            var x0 = Group(ref ak, w, repeatRows, ref v0, ref v1, ref v2, ref v3);
            var x1 = g1 ? Group(ref Unsafe.Add(ref ak, 4), w, repeatRows, ref v4, ref v5, ref v6, ref v7) : default;
            var x2 = g2 ? Group(ref Unsafe.Add(ref ak, 8), w, repeatRows, ref v8, ref v9, ref v10, ref v11) : default;
            var q = Expand(ref Unsafe.Add(ref mk, 16), repeatColumns);
            p00 = Vector512.FusedMultiplyAdd(x0, q, p00);
            if (g1) p10 = Vector512.FusedMultiplyAdd(x1, q, p10);
            if (g2) p20 = Vector512.FusedMultiplyAdd(x2, q, p20);
            if (quads > 1)
            {
                q = Expand(ref Unsafe.Add(ref mk, 20), repeatColumns);
                p01 = Vector512.FusedMultiplyAdd(x0, q, p01);
                if (g1) p11 = Vector512.FusedMultiplyAdd(x1, q, p11);
                if (g2) p21 = Vector512.FusedMultiplyAdd(x2, q, p21);
            }
            if (quads > 2)
            {
                q = Expand(ref Unsafe.Add(ref mk, 24), repeatColumns);
                p02 = Vector512.FusedMultiplyAdd(x0, q, p02);
                if (g1) p12 = Vector512.FusedMultiplyAdd(x1, q, p12);
                if (g2) p22 = Vector512.FusedMultiplyAdd(x2, q, p22);
            }
            ak = ref Unsafe.Add(ref ak, step);
            mk = ref Unsafe.Add(ref mk, mRow);
        }
        StoreGroup(v0, v1, v2, v3, p00, p01, p02, quads, ref c, cRow);
        if (g1) StoreGroup(v4, v5, v6, v7, p10, p11, p12, quads, ref c4, cRow);
        if (g2) StoreGroup(v8, v9, v10, v11, p20, p21, p22, quads, ref c8, cRow);
    }

    // one k of a group's four rows (a at their a[r, k]): columns 0..15 += a[r, k] w; returns a's four values expanded
    // for the quads (each repeated four times)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Group(ref float a, Vector512<float> w, Vector512<int> repeatRows,
        ref Vector512<float> v0, ref Vector512<float> v1, ref Vector512<float> v2, ref Vector512<float> v3)
    {
        v0 = Vector512.FusedMultiplyAdd(Vector512.Create(a), w, v0);
        v1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 1)), w, v1);
        v2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 2)), w, v2);
        v3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a, 3)), w, v3);
        return Expand(ref a, repeatRows);
    }

    // a group's four rows: columns 0..15 (one vector a row) and its quads
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreGroup(Vector512<float> v0, Vector512<float> v1, Vector512<float> v2, Vector512<float> v3,
        Vector512<float> p0, Vector512<float> p1, Vector512<float> p2, int quads, ref float c, nint cRow)
    {
        v0.StoreUnsafe(ref c); v1.StoreUnsafe(ref c, (nuint)cRow); v2.StoreUnsafe(ref c, (nuint)(2 * cRow)); v3.StoreUnsafe(ref c, (nuint)(3 * cRow));
        StoreQuad(p0, ref c, cRow, 16);
        if (quads > 1) StoreQuad(p1, ref c, cRow, 20);
        if (quads > 2) StoreQuad(p2, ref c, cRow, 24);
    }

    // four floats at source, spread over 16 lanes by the pattern (lane l gets source[pattern[l]])
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Expand(ref float source, Vector512<int> pattern) =>
        Avx512F.PermuteVar16x32(Vector128.LoadUnsafe(ref source).ToVector256Unsafe().ToVector512Unsafe(), pattern);

    // c[i, column .. column + 3] for rows i = 0..3 -> one vector, lane 4i + j
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> LoadQuad(ref float c, nint cRow, nint column) =>
        Vector512.Create(
            Vector256.Create(Vector128.LoadUnsafe(ref c, (nuint)column), Vector128.LoadUnsafe(ref c, (nuint)(cRow + column))),
            Vector256.Create(Vector128.LoadUnsafe(ref c, (nuint)(2 * cRow + column)), Vector128.LoadUnsafe(ref c, (nuint)(3 * cRow + column))));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreQuad(Vector512<float> quad, ref float c, nint cRow, nint column)
    {
        var low = quad.GetLower();
        var high = quad.GetUpper();
        low.GetLower().StoreUnsafe(ref c, (nuint)column);
        low.GetUpper().StoreUnsafe(ref c, (nuint)(cRow + column));
        high.GetLower().StoreUnsafe(ref c, (nuint)(2 * cRow + column));
        high.GetUpper().StoreUnsafe(ref c, (nuint)(3 * cRow + column));
    }
}
