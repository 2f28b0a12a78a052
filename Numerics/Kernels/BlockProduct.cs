using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The one matrix product of the layers, c += a m, for a block of rows at a time: four rows of c and one or two
/// vectors of columns stay in registers while the k loop streams the rows of m and broadcasts a's elements.
/// Every c[r, j] starts from its stored value and adds a[r, k] m[k, j] for k = 0, 1, ..., depth - 1 in that order,
/// one fused multiply-add each, whatever the block, the vector width or the column's position: so the bits are
/// those of <see cref="ScalarKernels.ProductAdd"/>, the plain triple loop.
/// Strides are free (negative ones too), so the same kernel computes x K (a's rows are samples), dz K^T, and the
/// weight gradients x^T dz after backpropagation (a's rows are weight rows, k runs over samples and time steps).
/// </summary>
public static class BlockProduct
{
    // a[r, k] = a[aStart + r*aRow + k*aCol] (rows x depth), m[k, j] = m[mStart + k*mRow + j] (depth x n)
    //   -> c[r, j] = c[cStart + r*cRow + j] (rows x n) += Σ_k a[r, k] m[k, j]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MultiplyAdd(ReadOnlySpan<float> a, int aStart, int aRow, int aCol, int rows,
        ReadOnlySpan<float> m, int mStart, int mRow, int depth, Span<float> c, int cStart, int cRow, int n)
    {
        if (rows <= 0 || n <= 0 || depth <= 0) return;
        CheckRange(a.Length, aStart, aRow, rows, aCol, depth, "a");
        CheckRange(m.Length, mStart, mRow, depth, 1, n, "m");
        CheckRange(c.Length, cStart, cRow, rows, 1, n, "c");
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float m0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(m), mStart);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        for (int r = 0; r < rows; r += 4)
        {
            int rb = Math.Min(4, rows - r);
            // a block of fewer than four rows repeats its last row in the missing ones and stores only its own
            ref float ar0 = ref Unsafe.Add(ref a0, aStart + (nint)r * aRow);
            ref float ar1 = ref Unsafe.Add(ref a0, aStart + (nint)(r + Math.Min(1, rb - 1)) * aRow);
            ref float ar2 = ref Unsafe.Add(ref a0, aStart + (nint)(r + Math.Min(2, rb - 1)) * aRow);
            ref float ar3 = ref Unsafe.Add(ref a0, aStart + (nint)(r + Math.Min(3, rb - 1)) * aRow);
            ref float cr0 = ref Unsafe.Add(ref c0, cStart + (nint)r * cRow);
            ref float cr1 = ref Unsafe.Add(ref c0, cStart + (nint)(r + Math.Min(1, rb - 1)) * cRow);
            ref float cr2 = ref Unsafe.Add(ref c0, cStart + (nint)(r + Math.Min(2, rb - 1)) * cRow);
            ref float cr3 = ref Unsafe.Add(ref c0, cStart + (nint)(r + Math.Min(3, rb - 1)) * cRow);
            var rowsA = new Rows(ref ar0, ref ar1, ref ar2, ref ar3, aCol);
            var rowsC = new Rows(ref cr0, ref cr1, ref cr2, ref cr3, 0);
            int j = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                for (; j <= n - 32; j += 32) Block512x2(rowsA, ref Unsafe.Add(ref m0, j), mRow, depth, rowsC, j, rb);
                for (; j <= n - 16; j += 16) Block512(rowsA, ref Unsafe.Add(ref m0, j), mRow, depth, rowsC, j, rb);
            }
            if (Vector256.IsHardwareAccelerated)
            {
                for (; j <= n - 16; j += 16) Block256x2(rowsA, ref Unsafe.Add(ref m0, j), mRow, depth, rowsC, j, rb);
                for (; j <= n - 8; j += 8) Block256(rowsA, ref Unsafe.Add(ref m0, j), mRow, depth, rowsC, j, rb);
            }
            for (; j <= n - 4; j += 4) Block128(rowsA, ref Unsafe.Add(ref m0, j), mRow, depth, rowsC, j, rb);
            for (; j < n; j++) BlockScalar(rowsA, ref Unsafe.Add(ref m0, j), mRow, depth, rowsC, j, rb);
        }
    }

    /// <summary>Four row starts (of a, or of c) and the step between a row's consecutive k elements.</summary>
    private readonly ref struct Rows(ref float r0, ref float r1, ref float r2, ref float r3, nint step)
    {
        public readonly ref float R0 = ref r0;
        public readonly ref float R1 = ref r1;
        public readonly ref float R2 = ref r2;
        public readonly ref float R3 = ref r3;
        public readonly nint Step = step;
    }

    // 4 rows x 32 columns: 8 accumulators of 16
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block512x2(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, int rb)
    {
        var c00 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R0, j)); var c01 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R0, j + 16));
        var c10 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R1, j)); var c11 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R1, j + 16));
        var c20 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R2, j)); var c21 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R2, j + 16));
        var c30 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R3, j)); var c31 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R3, j + 16));
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            var w0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref m, mk));
            var w1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref m, mk + 16));
            var x0 = Vector512.Create(Unsafe.Add(ref a.R0, ak));
            c00 = Vector512.FusedMultiplyAdd(x0, w0, c00); c01 = Vector512.FusedMultiplyAdd(x0, w1, c01);
            var x1 = Vector512.Create(Unsafe.Add(ref a.R1, ak));
            c10 = Vector512.FusedMultiplyAdd(x1, w0, c10); c11 = Vector512.FusedMultiplyAdd(x1, w1, c11);
            var x2 = Vector512.Create(Unsafe.Add(ref a.R2, ak));
            c20 = Vector512.FusedMultiplyAdd(x2, w0, c20); c21 = Vector512.FusedMultiplyAdd(x2, w1, c21);
            var x3 = Vector512.Create(Unsafe.Add(ref a.R3, ak));
            c30 = Vector512.FusedMultiplyAdd(x3, w0, c30); c31 = Vector512.FusedMultiplyAdd(x3, w1, c31);
        }
        c00.StoreUnsafe(ref Unsafe.Add(ref c.R0, j)); c01.StoreUnsafe(ref Unsafe.Add(ref c.R0, j + 16));
        if (rb > 1) { c10.StoreUnsafe(ref Unsafe.Add(ref c.R1, j)); c11.StoreUnsafe(ref Unsafe.Add(ref c.R1, j + 16)); }
        if (rb > 2) { c20.StoreUnsafe(ref Unsafe.Add(ref c.R2, j)); c21.StoreUnsafe(ref Unsafe.Add(ref c.R2, j + 16)); }
        if (rb > 3) { c30.StoreUnsafe(ref Unsafe.Add(ref c.R3, j)); c31.StoreUnsafe(ref Unsafe.Add(ref c.R3, j + 16)); }
    }

    // 4 rows x 16 columns
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block512(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, int rb)
    {
        var c0 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R0, j));
        var c1 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R1, j));
        var c2 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R2, j));
        var c3 = Vector512.LoadUnsafe(ref Unsafe.Add(ref c.R3, j));
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            var w = Vector512.LoadUnsafe(ref Unsafe.Add(ref m, mk));
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a.R0, ak)), w, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a.R1, ak)), w, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a.R2, ak)), w, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(Unsafe.Add(ref a.R3, ak)), w, c3);
        }
        c0.StoreUnsafe(ref Unsafe.Add(ref c.R0, j));
        if (rb > 1) c1.StoreUnsafe(ref Unsafe.Add(ref c.R1, j));
        if (rb > 2) c2.StoreUnsafe(ref Unsafe.Add(ref c.R2, j));
        if (rb > 3) c3.StoreUnsafe(ref Unsafe.Add(ref c.R3, j));
    }

    // 4 rows x 16 columns: 8 accumulators of 8
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block256x2(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, int rb)
    {
        var c00 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R0, j)); var c01 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R0, j + 8));
        var c10 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R1, j)); var c11 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R1, j + 8));
        var c20 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R2, j)); var c21 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R2, j + 8));
        var c30 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R3, j)); var c31 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R3, j + 8));
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            var w0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref m, mk));
            var w1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref m, mk + 8));
            var x0 = Vector256.Create(Unsafe.Add(ref a.R0, ak));
            c00 = Vector256.FusedMultiplyAdd(x0, w0, c00); c01 = Vector256.FusedMultiplyAdd(x0, w1, c01);
            var x1 = Vector256.Create(Unsafe.Add(ref a.R1, ak));
            c10 = Vector256.FusedMultiplyAdd(x1, w0, c10); c11 = Vector256.FusedMultiplyAdd(x1, w1, c11);
            var x2 = Vector256.Create(Unsafe.Add(ref a.R2, ak));
            c20 = Vector256.FusedMultiplyAdd(x2, w0, c20); c21 = Vector256.FusedMultiplyAdd(x2, w1, c21);
            var x3 = Vector256.Create(Unsafe.Add(ref a.R3, ak));
            c30 = Vector256.FusedMultiplyAdd(x3, w0, c30); c31 = Vector256.FusedMultiplyAdd(x3, w1, c31);
        }
        c00.StoreUnsafe(ref Unsafe.Add(ref c.R0, j)); c01.StoreUnsafe(ref Unsafe.Add(ref c.R0, j + 8));
        if (rb > 1) { c10.StoreUnsafe(ref Unsafe.Add(ref c.R1, j)); c11.StoreUnsafe(ref Unsafe.Add(ref c.R1, j + 8)); }
        if (rb > 2) { c20.StoreUnsafe(ref Unsafe.Add(ref c.R2, j)); c21.StoreUnsafe(ref Unsafe.Add(ref c.R2, j + 8)); }
        if (rb > 3) { c30.StoreUnsafe(ref Unsafe.Add(ref c.R3, j)); c31.StoreUnsafe(ref Unsafe.Add(ref c.R3, j + 8)); }
    }

    // 4 rows x 8 columns
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block256(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, int rb)
    {
        var c0 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R0, j));
        var c1 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R1, j));
        var c2 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R2, j));
        var c3 = Vector256.LoadUnsafe(ref Unsafe.Add(ref c.R3, j));
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            var w = Vector256.LoadUnsafe(ref Unsafe.Add(ref m, mk));
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a.R0, ak)), w, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a.R1, ak)), w, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a.R2, ak)), w, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref a.R3, ak)), w, c3);
        }
        c0.StoreUnsafe(ref Unsafe.Add(ref c.R0, j));
        if (rb > 1) c1.StoreUnsafe(ref Unsafe.Add(ref c.R1, j));
        if (rb > 2) c2.StoreUnsafe(ref Unsafe.Add(ref c.R2, j));
        if (rb > 3) c3.StoreUnsafe(ref Unsafe.Add(ref c.R3, j));
    }

    // 4 rows x 4 columns
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block128(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, int rb)
    {
        var c0 = Vector128.LoadUnsafe(ref Unsafe.Add(ref c.R0, j));
        var c1 = Vector128.LoadUnsafe(ref Unsafe.Add(ref c.R1, j));
        var c2 = Vector128.LoadUnsafe(ref Unsafe.Add(ref c.R2, j));
        var c3 = Vector128.LoadUnsafe(ref Unsafe.Add(ref c.R3, j));
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            var w = Vector128.LoadUnsafe(ref Unsafe.Add(ref m, mk));
            c0 = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref a.R0, ak)), w, c0);
            c1 = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref a.R1, ak)), w, c1);
            c2 = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref a.R2, ak)), w, c2);
            c3 = Vector128.FusedMultiplyAdd(Vector128.Create(Unsafe.Add(ref a.R3, ak)), w, c3);
        }
        c0.StoreUnsafe(ref Unsafe.Add(ref c.R0, j));
        if (rb > 1) c1.StoreUnsafe(ref Unsafe.Add(ref c.R1, j));
        if (rb > 2) c2.StoreUnsafe(ref Unsafe.Add(ref c.R2, j));
        if (rb > 3) c3.StoreUnsafe(ref Unsafe.Add(ref c.R3, j));
    }

    // 4 rows x 1 column
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void BlockScalar(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, int rb)
    {
        float c0 = Unsafe.Add(ref c.R0, j), c1 = Unsafe.Add(ref c.R1, j), c2 = Unsafe.Add(ref c.R2, j), c3 = Unsafe.Add(ref c.R3, j);
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            float w = Unsafe.Add(ref m, mk);
            c0 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a.R0, ak), w, c0);
            c1 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a.R1, ak), w, c1);
            c2 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a.R2, ak), w, c2);
            c3 = MathF.FusedMultiplyAdd(Unsafe.Add(ref a.R3, ak), w, c3);
        }
        Unsafe.Add(ref c.R0, j) = c0;
        if (rb > 1) Unsafe.Add(ref c.R1, j) = c1;
        if (rb > 2) Unsafe.Add(ref c.R2, j) = c2;
        if (rb > 3) Unsafe.Add(ref c.R3, j) = c3;
    }

    // every index start + i*step1 + k*step2 (i < count1, k < count2) lies in [0, length)
    private static void CheckRange(int length, int start, int step1, int count1, int step2, int count2, string name)
    {
        long low = start, high = start;
        long span1 = (long)(count1 - 1) * step1, span2 = (long)(count2 - 1) * step2;
        low += Math.Min(0, span1) + Math.Min(0, span2);
        high += Math.Max(0, span1) + Math.Max(0, span2);
        if (low < 0 || high >= length)
            throw new ArgumentOutOfRangeException(name, $"the product reads or writes {name}[{low}..{high}] but {name} has {length} elements");
    }
}
