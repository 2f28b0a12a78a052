using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// Copies between sample-major and batch-minor layouts (no arithmetic: the bits move unchanged). Matrices go in 8 x 8
/// tiles of 256-bit registers where AVX is there, the edges in 4 x 4 tiles of 128-bit ones (SSE), what is left one
/// element at a time.
/// </summary>
internal static class Transpose
{
    private const int Band = 128;

    // m: [rows, cols] -> t: [cols, rows]
    public static void Matrix(ReadOnlySpan<float> m, int rows, int cols, Span<float> t) => Matrix(m, rows, cols, t, rows);

    // m: [rows, cols] -> t: [cols, rows] with t's rows tRow apart (t[j tRow + i] = m[i cols + j]), say one step's
    // columns of a [B, T, G] buffer. Never inlined: inlined into a caller, its tiles no longer were (every tile a call)
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    public static void Matrix(ReadOnlySpan<float> m, int rows, int cols, Span<float> t, int tRow)
    {
        if (rows <= 0 || cols <= 0) return;
        if (tRow < rows) throw new ArgumentOutOfRangeException(nameof(tRow), tRow, $"t's rows must be at least {rows} apart");
        if (m.Length < rows * cols || t.Length < (long)(cols - 1) * tRow + rows)
            throw new ArgumentException($"a [{rows}, {cols}] transpose needs {rows * cols} elements in m and {(long)(cols - 1) * tRow + rows} in t");
        ref float m0 = ref MemoryMarshal.GetReference(m);
        ref float t0 = ref MemoryMarshal.GetReference(t);
        int tiledRows = Avx.IsSupported ? rows & ~7 : 0, tiledCols = Avx.IsSupported ? cols & ~7 : 0;
        // bands of up to 128 rows of m, and in each band 8 rows of t at a time written along the whole band (512
        // adjacent bytes each): t's rows can be a multiple of 4 KiB apart (one step's columns of a [B, T, G] buffer),
        // so the lines of many of them share one L1 set; writing a line or two of each of 32 such rows before moving
        // on (bands of 16) made a [512, 32] -> [B, T, 512] copy 6.6x slower (`transpose 512 32 25600`), and a
        // [32, 1000] transpose 1.7x
        for (int i = 0; i < tiledRows; i += Band)
        {
            int down = Math.Min(Band, tiledRows - i);
            for (int j = 0; j < tiledCols; j += 8)
                for (int k = i; k < i + down; k += 8)
                    Tile(ref Unsafe.Add(ref m0, (nint)k * cols + j), cols, ref Unsafe.Add(ref t0, (nint)j * tRow + k), tRow);
        }
        // the edges in 4 x 4 tiles where SSE is there (a block of 4 samples is all edge), then one element at a time:
        // columns past the 8 x 8 tiles of the tiled rows, then the rows past them
        int quarterRows = Sse.IsSupported ? rows & ~3 : tiledRows, quarterCols = Sse.IsSupported ? cols & ~3 : tiledCols;
        Quarters(ref m0, cols, ref t0, tRow, 0, tiledRows, tiledCols, quarterCols);
        Elements(ref m0, cols, ref t0, tRow, 0, tiledRows, quarterCols, cols);
        Quarters(ref m0, cols, ref t0, tRow, tiledRows, quarterRows, 0, quarterCols);
        Elements(ref m0, cols, ref t0, tRow, tiledRows, quarterRows, quarterCols, cols);
        Elements(ref m0, cols, ref t0, tRow, quarterRows, rows, 0, cols);
    }

    // t[j, i] = m[i, j] for i in [i0, i1), j in [j0, j1), both ranges whole multiples of 4, in 4 x 4 tiles
    private static void Quarters(ref float m, nint mRow, ref float t, nint tRow, int i0, int i1, int j0, int j1)
    {
        for (int i = i0; i < i1; i += 4)
            for (int j = j0; j < j1; j += 4)
                QuarterTile(ref Unsafe.Add(ref m, i * mRow + j), mRow, ref Unsafe.Add(ref t, j * tRow + i), tRow);
    }

    // a 4 x 4 tile: t[j, i] = m[i, j] (m's rows mRow apart, t's tRow apart)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QuarterTile(ref float m, nint mRow, ref float t, nint tRow)
    {
        Vector128<float> r0 = Vector128.LoadUnsafe(ref m), r1 = Vector128.LoadUnsafe(ref m, (nuint)mRow),
            r2 = Vector128.LoadUnsafe(ref m, (nuint)(2 * mRow)), r3 = Vector128.LoadUnsafe(ref m, (nuint)(3 * mRow));
        // [a0 b0 a1 b1], [c0 d0 c1 d1], [a2 b2 a3 b3], [c2 d2 c3 d3]
        var u0 = Sse.UnpackLow(r0, r1); var u1 = Sse.UnpackLow(r2, r3);
        var u2 = Sse.UnpackHigh(r0, r1); var u3 = Sse.UnpackHigh(r2, r3);
        Sse.MoveLowToHigh(u0, u1).StoreUnsafe(ref t);
        Sse.MoveHighToLow(u1, u0).StoreUnsafe(ref t, (nuint)tRow);
        Sse.MoveLowToHigh(u2, u3).StoreUnsafe(ref t, (nuint)(2 * tRow));
        Sse.MoveHighToLow(u3, u2).StoreUnsafe(ref t, (nuint)(3 * tRow));
    }

    // t[j, i] = m[i, j] for i in [i0, i1), j in [j0, j1)
    private static void Elements(ref float m, nint mRow, ref float t, nint tRow, int i0, int i1, int j0, int j1)
    {
        for (int i = i0; i < i1; i++)
            for (int j = j0; j < j1; j++)
                Unsafe.Add(ref t, j * tRow + i) = Unsafe.Add(ref m, i * mRow + j);
    }

    // an 8 x 8 tile: t[j, i] = m[i, j] (m's rows mRow apart, t's tRow apart)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Tile(ref float m, nint mRow, ref float t, nint tRow)
    {
        var r0 = Vector256.LoadUnsafe(ref m);
        var r1 = Vector256.LoadUnsafe(ref m, (nuint)mRow);
        var r2 = Vector256.LoadUnsafe(ref m, (nuint)(2 * mRow));
        var r3 = Vector256.LoadUnsafe(ref m, (nuint)(3 * mRow));
        var r4 = Vector256.LoadUnsafe(ref m, (nuint)(4 * mRow));
        var r5 = Vector256.LoadUnsafe(ref m, (nuint)(5 * mRow));
        var r6 = Vector256.LoadUnsafe(ref m, (nuint)(6 * mRow));
        var r7 = Vector256.LoadUnsafe(ref m, (nuint)(7 * mRow));
        // pairs of rows interleaved: [a0 b0 a1 b1 | a4 b4 a5 b5], [a2 b2 a3 b3 | a6 b6 a7 b7], ...
        var u0 = Avx.UnpackLow(r0, r1); var u1 = Avx.UnpackHigh(r0, r1);
        var u2 = Avx.UnpackLow(r2, r3); var u3 = Avx.UnpackHigh(r2, r3);
        var u4 = Avx.UnpackLow(r4, r5); var u5 = Avx.UnpackHigh(r4, r5);
        var u6 = Avx.UnpackLow(r6, r7); var u7 = Avx.UnpackHigh(r6, r7);
        // quarters of columns: [a0 b0 c0 d0 | a4 b4 c4 d4], ...
        var s0 = Avx.Shuffle(u0, u2, 0x44); var s1 = Avx.Shuffle(u0, u2, 0xEE);
        var s2 = Avx.Shuffle(u1, u3, 0x44); var s3 = Avx.Shuffle(u1, u3, 0xEE);
        var s4 = Avx.Shuffle(u4, u6, 0x44); var s5 = Avx.Shuffle(u4, u6, 0xEE);
        var s6 = Avx.Shuffle(u5, u7, 0x44); var s7 = Avx.Shuffle(u5, u7, 0xEE);
        // whole columns: low halves are columns 0..3, high halves 4..7
        Avx.Permute2x128(s0, s4, 0x20).StoreUnsafe(ref t);
        Avx.Permute2x128(s1, s5, 0x20).StoreUnsafe(ref t, (nuint)tRow);
        Avx.Permute2x128(s2, s6, 0x20).StoreUnsafe(ref t, (nuint)(2 * tRow));
        Avx.Permute2x128(s3, s7, 0x20).StoreUnsafe(ref t, (nuint)(3 * tRow));
        Avx.Permute2x128(s0, s4, 0x31).StoreUnsafe(ref t, (nuint)(4 * tRow));
        Avx.Permute2x128(s1, s5, 0x31).StoreUnsafe(ref t, (nuint)(5 * tRow));
        Avx.Permute2x128(s2, s6, 0x31).StoreUnsafe(ref t, (nuint)(6 * tRow));
        Avx.Permute2x128(s3, s7, 0x31).StoreUnsafe(ref t, (nuint)(7 * tRow));
    }
}
