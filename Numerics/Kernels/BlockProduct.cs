using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The one matrix product of the layers, c += a m, for a block of rows at a time: four (or eight) rows of c and one or
/// two vectors of columns stay in registers while the k loop streams the rows of m and broadcasts a's elements.
/// Every c[r, j] starts from its stored value and adds a[r, k] m[k, j] for k = 0, 1, ..., depth - 1 in that order,
/// one fused multiply-add each, whatever the block, the vector width or the column's position: so the bits are
/// those of <see cref="ScalarKernels.ProductAdd"/>, the plain triple loop. The blocks are written once for every width
/// (<see cref="IVector{TSelf}"/>): pairs of 512-bit vectors, then of 256, then single 128-bit vectors, then the last
/// 1 to 3 columns as the row's last 128-bit vector, which overlaps columns already done and stores only its new lanes
/// (<see cref="OverlappedLanes{TNew}"/>; a column at a time on one lane, <see cref="Lane"/>, in rows of fewer than 4); with AVX-512, when a's rows are adjacent (the weight gradients) and
/// 20, 24 or 28 columns are left past the pairs, the last 4, 8 or 12 of them packed four rows by four to a vector
/// (<see cref="QuadColumns"/>). Products run blocks of eight rows first where the machine has 32 vector registers
/// (AVX-512, Arm64): 16 accumulators with pairs (8 with single vectors), so c is loaded and stored, and m's rows read,
/// half as often per multiply-add; four rows left past them take wide columns four 512-bit vectors at a time (16
/// accumulators again; `product 4 20 1600` 2361 -> 1468 ns); with AVX-512, such rows over whole pairs of 512-bit vectors
/// (20 or 60 rows by 32 or 64 columns: the batch-minor step products) start with one block of twelve rows instead (24
/// accumulators; `product 20 40 32 transposed` 393 -> 321 ns). Where it has 16 (AVX2), products whose columns leave none or 8
/// to 15 past the pairs of 256-bit vectors run blocks of six rows by two vectors first (12 accumulators;
/// <see cref="SixRows"/>), and blocks of four rows end 17 to 23 columns as three vectors (12 accumulators again;
/// <see cref="BlockTriple{TM, TV}"/>); in products of 24 rows or more whose m rows lie a power of two of cache lines
/// apart (256 columns), the six-row blocks read m packed a pair of vectors to a panel (<see cref="PairPanels"/>).
/// Strides are free (negative ones too), so the same kernel computes x K (a's rows are samples), dz K^T, and the
/// weight gradients x^T dz after backpropagation (a's rows are weight rows, k runs over samples and time steps).
/// A product whose m is two blocks stacked (a recurrent step's [x_t^T; h_{t-1}^T]) can read them where they lie
/// (<see cref="MultiplyAddTwoParts"/>): the pair blocks' k loop (AVX-512), or the six-row blocks' and the two rows'
/// past them (AVX2), runs over the first, then on over the second; the same product can start each row of c from a
/// value (a bias) instead of c's stored values.
/// </summary>
public static class BlockProduct
{
    // 32 vector registers: room for eight rows by two vectors of accumulators. Blocks of eight rows are a call per block
    // and width (their kernels are too large to inline). They once lost to the inlined blocks of four at 32 columns
    // (the chapter's batch-minor step products) and ran only from 48 columns, or depth 40, up; measured again
    // (`product`, best of 3 alternating runs), they now win there too: 20 x 20 x 32 265 -> 203 ns, 80 x 20 x 32
    // 791 -> 648 ns, 60 x 20 x 32 602 -> 508 ns, 20 x 60 x 32 within noise (441 / 452)
    // A property of two JIT-time constants, not a static readonly field: a method compiled optimised from the start
    // (AggressiveOptimization) reads such a field at run time, so the JIT kept every eight-row path in MultiplyAdd on
    // hosts without them, and their inlinees used up its inlining budget: past it, the JIT left the 256-bit blocks' vector
    // operations as calls (InliningTests)
    private static bool EightRows => Vector512.IsHardwareAccelerated || AdvSimd.Arm64.IsSupported;

    // a: [rows, depth] (any strides), m: [depth, columns] (its rows' elements adjacent) -> c: [rows, columns] += a m
    public static void MultiplyAdd(MatrixIn a, MatrixIn m, MatrixOut c, int rows, int depth, int columns)
    {
        if (m.ColumnStride != 1) throw new ArgumentException($"m's column stride is {m.ColumnStride}; the product streams m's rows, whose elements must be adjacent (1)", nameof(m));
        MultiplyAdd(a.Data, a.Start, a.RowStride, a.ColumnStride, rows, m.Data, m.Start, m.RowStride, depth, c.Data, c.Start, c.RowStride, columns);
    }

    /// <summary>
    /// Whether <see cref="MultiplyAddTwoParts"/> takes a product of these rows and columns: with AVX-512, whole pairs of
    /// 512-bit vectors of columns (32, 64: a block of 32 samples' batch-minor step products) and rows in blocks of
    /// eight, or of twelve and then eights (20, 60, 80 rows); with AVX2 (16 registers), whole pairs of 256-bit vectors
    /// and rows in blocks of six, then none or two (20, 60, 80, 128 rows).
    /// </summary>
    public static bool PairBlocksFit(int rows, int columns) => Vector512.IsHardwareAccelerated
        ? columns > 0 && columns % (2 * V512.Count) == 0 && rows > 0 && (rows % 8 == 0 || rows >= 12 && rows % 8 == 4)
        : !EightRows && Vector256.IsHardwareAccelerated && columns > 0 && columns % (2 * V256.Count) == 0 && rows > 0 && rows % 6 is 0 or 2;

    // a: [rows, depth1 + depth2] (any strides), m = [m1; m2]: m1 [depth1, columns] over m2 [depth2, columns] (their rows'
    //   elements adjacent, the same row stride; depth2 may be 0) -> c: [rows, columns] = s + a m, s = c itself (+=) or,
    //   given rowStarts [rows], s[r, j] = rowStarts[r]. The bits of filling c's rows with rowStarts, then one product
    //   over m stacked (every c[r, j] adds m1's terms, then m2's, in k order), without the fill or the copy of m1 and m2
    //   into one block (a recurrent step's bias rows and [x_t^T; h_{t-1}^T]). Products that PairBlocksFit takes only
    public static void MultiplyAddTwoParts(MatrixIn a, MatrixIn m1, int depth1, MatrixIn m2, int depth2, MatrixOut c, int rows, int columns,
        ReadOnlySpan<float> rowStarts = default)
    {
        if (!PairBlocksFit(rows, columns)) throw new ArgumentException($"a product of {rows} rows by {columns} columns does not run in pair blocks (see PairBlocksFit)", nameof(rows));
        if (m1.ColumnStride != 1 || depth2 > 0 && m2.ColumnStride != 1) throw new ArgumentException("m's column stride must be 1: the product streams m's rows", nameof(m1));
        if (depth2 > 0 && m1.RowStride != m2.RowStride) throw new ArgumentException($"m1's row stride is {m1.RowStride}, m2's {m2.RowStride}: they must be the same", nameof(m2));
        if (depth1 <= 0 || depth2 < 0) throw new ArgumentOutOfRangeException(nameof(depth1), $"depths {depth1} and {depth2}: the first part needs one row or more, the second none or more");
        bool fromStart = !rowStarts.IsEmpty;
        if (fromStart && rowStarts.Length < rows) throw new ArgumentException($"{rowStarts.Length} row starts for {rows} rows", nameof(rowStarts));
        CheckRange(a.Data.Length, a.Start, a.RowStride, rows, a.ColumnStride, depth1 + depth2, "a");
        CheckRange(m1.Data.Length, m1.Start, m1.RowStride, depth1, 1, columns, "m1");
        if (depth2 > 0) CheckRange(m2.Data.Length, m2.Start, m2.RowStride, depth2, 1, columns, "m2");
        CheckRange(c.Data.Length, c.Start, c.RowStride, rows, 1, columns, "c");
        ref float a0 = ref MemoryMarshal.GetReference(a.Data);
        ref float first1 = ref Unsafe.Add(ref MemoryMarshal.GetReference(m1.Data), m1.Start);
        ref float first2 = ref depth2 > 0 ? ref Unsafe.Add(ref MemoryMarshal.GetReference(m2.Data), m2.Start) : ref first1;
        ref float c0 = ref MemoryMarshal.GetReference(c.Data);
        ref float starts = ref fromStart ? ref MemoryMarshal.GetReference(rowStarts) : ref c0;
        int first = 0;
        if (!EightRows)
        {
            // 16 registers (AVX2): blocks of six rows by a pair of 256-bit vectors, then two rows four vectors at a time
            ref float aAt = ref Unsafe.Add(ref a0, a.Start);
            ref float cAt = ref Unsafe.Add(ref c0, c.Start);
            first = SixRowsTwoParts(ref aAt, a.RowStride, a.ColumnStride, ref first1, depth1, ref first2, depth2, m1.RowStride, ref cAt, c.RowStride,
                rows, columns, ref starts, fromStart);
            if (first < rows)
                TwoRows(ref Unsafe.Add(ref aAt, (nint)first * a.RowStride), ref Unsafe.Add(ref aAt, (nint)(first + 1) * a.RowStride), a.ColumnStride,
                    ref first1, m1.RowStride, depth1, ref Unsafe.Add(ref cAt, (nint)first * c.RowStride), ref Unsafe.Add(ref cAt, (nint)(first + 1) * c.RowStride), columns,
                    ref first2, depth2, ref Unsafe.Add(ref starts, fromStart ? first : 0), fromStart);
            return;
        }
        if (rows % 8 == 4)
        {
            new Block8(ref a0, a.Start, a.RowStride, a.ColumnStride, ref first1, m1.RowStride, depth1, ref first2, depth2, ref c0, c.Start, c.RowStride,
                ref starts, fromStart).TwelveRows<V512, V512>(columns);
            first = 12;
        }
        for (; first < rows; first += 8)
            new Block8(ref a0, a.Start + (nint)first * a.RowStride, a.RowStride, a.ColumnStride, ref first1, m1.RowStride, depth1, ref first2, depth2,
                ref c0, c.Start + (nint)first * c.RowStride, c.RowStride, ref Unsafe.Add(ref starts, fromStart ? first : 0), fromStart).Columns<V512, V512>(0, columns, pairs: true);
    }

    // a[r, k] = a[aStart + r*aRow + k*aCol] (rows x depth), m[k, j] = m[mStart + k*mRow + j] (depth x n)
    //   -> c[r, j] = c[cStart + r*cRow + j] (rows x n) += Σ_k a[r, k] m[k, j]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MultiplyAdd(ReadOnlySpan<float> a, int aStart, int aRow, int aCol, int rows,
        ReadOnlySpan<float> m, int mStart, int mRow, int depth, Span<float> c, int cStart, int cRow, int n)
    {
        if (rows <= 0 || n <= 0 || depth <= 0) return;
        CheckRange(a.Length, aStart, aRow, rows, aCol, depth, "a");
        CheckRange(m.Length, mStart, mRow, depth, 1, n, "m");
        CheckRange(c.Length, cStart, cRow, rows, 1, n, "c");
        ref float a0 = ref MemoryMarshal.GetReference(a);
        ref float m0 = ref Unsafe.Add(ref MemoryMarshal.GetReference(m), mStart);
        ref float c0 = ref MemoryMarshal.GetReference(c);
        // the last columns packed four rows by four where they fit (QuadColumns), else a vector of their own width
        int quadsFrom = QuadColumns.Fits(aRow, n % (2 * V512.Count)) ? n - n % (2 * V512.Count) : n;
        // a product whose columns are all packed past one vector (20, 24, 28) ends, where its rows leave four over eights,
        // with one block of twelve rows instead of eight and four (whose 5 accumulators are too few to hide latency)
        bool twelve = quadsFrom == 0 && rows >= 12 && rows % 8 == 4;
        int eightsEnd = twelve ? rows - 12 : rows;
        int first = 0;
        // rows that leave four past the eights (20, 60) over whole pairs of 512-bit vectors of columns (32, 64: the
        // batch-minor step products of a block of 32 samples): the first twelve rows as one block of twelve rows by two
        // vectors (24 accumulators), then eights. Four rows left alone ran as long as a block of eight
        // (`product 20 40 32 transposed` 352 ns, `24 40 32` 351 ns). Such columns leave none to pack (quadsFrom is n, twelve
        // is false)
        if (Vector512.IsHardwareAccelerated && rows >= 12 && rows % 8 == 4 && n % (2 * V512.Count) == 0)
        {
            new Block8(ref a0, aStart, aRow, aCol, ref m0, mRow, depth, ref m0, 0, ref c0, cStart, cRow, ref c0, false).TwelveRows<V512, V512>(n);
            first = 12;
        }
        if (EightRows)
            for (; first <= eightsEnd - 8; first += 8)
            {
                var block = new Block8(ref a0, aStart + (nint)first * aRow, aRow, aCol, ref m0, mRow, depth, ref m0, 0, ref c0, cStart + (nint)first * cRow, cRow, ref c0, false);
                int j = 0;
                if (Vector512.IsHardwareAccelerated) j = block.Columns<V512, V512>(j, quadsFrom, pairs: true);
                if (quadsFrom < n) j = block.Quads(j, n);
                if (Vector256.IsHardwareAccelerated && j <= n - V256.Count) j = block.Columns<V256, V256>(j, n, pairs: true);
                if (j <= n - V128.Count) j = block.Columns<V128, V128>(j, n, pairs: false);
                if (j < n) block.Last(j, n);
            }
        // 16 vector registers (AVX2): blocks of six rows by two 256-bit vectors (12 accumulators) where the columns left
        // past the pairs fill one vector or more (see SixRows); the rows left take the blocks of four below
        if (!EightRows && Vector256.IsHardwareAccelerated && SixRowsFit(n))
            first = SixRowBlocks(ref Unsafe.Add(ref a0, aStart), aRow, aCol, ref m0, mRow, depth, ref Unsafe.Add(ref c0, cStart), cRow, rows, n);
        if (twelve)
        {
            QuadColumns.MultiplyAdd(12, ref Unsafe.Add(ref a0, aStart + (nint)first * aRow), aCol, ref m0, mRow, depth, ref Unsafe.Add(ref c0, cStart + (nint)first * cRow), cRow, n);
            first = rows;
        }
        for (int r = first; r < rows; r += 4)
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
            if (rb == 1 && n >= V128.Count)
            {
                Row(ref Unsafe.Add(ref a0, aStart + (nint)r * aRow), aCol, ref m0, mRow, depth, ref Unsafe.Add(ref c0, cStart + (nint)r * cRow), n);
                continue;
            }
            // 16 registers (AVX2): two rows left past the blocks of six or four (20 = 6 + 6 + 6 + 2, 80 = 13 x 6 + 2) take up
            // to four 256-bit vectors of columns at a time (8 accumulators, every one stored), where a block of four rows
            // computed four to store two
            if (!EightRows && rb == 2 && Vector256.IsHardwareAccelerated && n >= V256.Count)
            {
                TwoRows(ref ar0, ref ar1, aCol, ref m0, mRow, depth, ref cr0, ref cr1, n, ref m0, 0, ref cr0, false);
                continue;
            }
            int j = 0;
            // four rows left past the blocks of eight: wide columns four vectors at a time (as many accumulators as an
            // eight-row pair), where the inlined pairs below left the k loop short of registers
            if (EightRows && rb == 4 && Vector512.IsHardwareAccelerated)
                j = new Block8(ref a0, aStart + (nint)r * aRow, aRow, aCol, ref m0, mRow, depth, ref m0, 0, ref c0, cStart + (nint)r * cRow, cRow, ref c0, false).FourRows<V512, V512>(j, quadsFrom);
            if (Vector512.IsHardwareAccelerated && rb == 4 && quadsFrom < n)
            {
                j = Columns<V512, V512>(rowsA, ref m0, mRow, depth, rowsC, j, quadsFrom, rb, pairs: true);
                QuadColumns.MultiplyAdd(4, ref ar0, aCol, ref Unsafe.Add(ref m0, j), mRow, depth, ref Unsafe.Add(ref cr0, j), cRow, n - j);
                continue;
            }
            if (Vector512.IsHardwareAccelerated) j = Columns<V512, V512>(rowsA, ref m0, mRow, depth, rowsC, j, n, rb, pairs: true);
            if (Vector256.IsHardwareAccelerated)
            {
                // 16 registers (AVX2): the last 17 to 23 columns as one block of three vectors (see BlockTriple)
                int tripleAt = EightRows ? n : TripleAt(j, n);
                j = Columns<V256, V256>(rowsA, ref m0, mRow, depth, rowsC, j, tripleAt, rb, pairs: true);
                if (tripleAt < n) j = BlockTriple<V256, V256>(rowsA, ref Unsafe.Add(ref m0, j), mRow, depth, rowsC, j, n - V256.Count - j, rb);
            }
            j = Columns<V128, V128>(rowsA, ref m0, mRow, depth, rowsC, j, n, rb, pairs: false);
            if (j < n) Last(rowsA, ref m0, mRow, depth, rowsC, j, n, rb);
        }
    }

    // the last n - j (1 to 3) columns of four rows: with n >= 4 as one overlapped vector (OverlappedLanes), else a lane
    // at a time. A call of its own: inlined, its three forms would leave MultiplyAdd too large for its vector passes
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Last(in Rows a, ref float m, nint mRow, int depth, in Rows c, int j, int n, int rb)
    {
        switch (n < V128.Count ? 0 : n - j)
        {
            case 1: Block<OverlappedLanes<NewLane3>, V128>(a, ref Unsafe.Add(ref m, n - 4), mRow, depth, c, n - 4, rb); break;
            case 2: Block<OverlappedLanes<NewLanes2To3>, V128>(a, ref Unsafe.Add(ref m, n - 4), mRow, depth, c, n - 4, rb); break;
            case 3: Block<OverlappedLanes<NewLanes1To3>, V128>(a, ref Unsafe.Add(ref m, n - 4), mRow, depth, c, n - 4, rb); break;
            default: Columns<Lane, V128>(a, ref m, mRow, depth, c, j, n, rb, pairs: false); break;
        }
    }

    // one row of c (n >= 4 columns) += a's row m, in vectors of the widest width that fits in n. Alone, a row is
    // latency-bound: each vector of columns is a chain of depth dependent multiply-adds. So its vectors run four to a k
    // loop, their chains side by side (a 1 x 50 x 20 weight gradient took two chains one after the other, 239 ns)
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Row(ref float a, nint aStep, ref float m, nint mRow, int depth, ref float c, int n)
    {
        if (Vector512.IsHardwareAccelerated && n >= V512.Count) RowVectors<V512>(ref a, aStep, ref m, mRow, depth, ref c, n);
        else if (Vector256.IsHardwareAccelerated && n >= V256.Count) RowVectors<V256>(ref a, aStep, ref m, mRow, depth, ref c, n);
        else RowVectors<V128>(ref a, aStep, ref m, mRow, depth, ref c, n);
    }

    // c[0, 0..n) += Σ_k a[k] m[k, 0..n) (a[k] at k aStep, n >= TV.Count): vector i covers columns from
    // min(i W, n - W), so the last one may overlap the one before it. Both start from the same stored values and take
    // the same multiply-adds, so the shared columns get the same bits twice. A pass takes up to four vectors, and never
    // leaves the last vector alone for the next pass: no vector reads columns that an earlier pass has stored
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowVectors<TV>(ref float a, nint aStep, ref float m, nint mRow, int depth, ref float c, int n)
        where TV : struct, IVector<TV>, IVectorMemory<TV>
    {
        for (var pass = RowPass.First<TV>(n); pass.Count > 0; pass = pass.Next<TV>(n))
        {
            var (p0, p1, p2, p3) = (pass.P0, pass.P1, pass.P2, pass.P3);
            TV c0 = TV.Load(ref c, p0), c1 = TV.Load(ref c, p1), c2 = TV.Load(ref c, p2), c3 = TV.Load(ref c, p3);
            nint ak = 0, mk = 0;
            for (int k = 0; k < depth; k++, ak += aStep, mk += mRow)
            {
                var x = TV.Broadcast(Unsafe.Add(ref a, ak));
                c0 = TV.FusedMultiplyAdd(x, TV.Load(ref m, mk + p0), c0);
                c1 = TV.FusedMultiplyAdd(x, TV.Load(ref m, mk + p1), c1);
                c2 = TV.FusedMultiplyAdd(x, TV.Load(ref m, mk + p2), c2);
                c3 = TV.FusedMultiplyAdd(x, TV.Load(ref m, mk + p3), c3);
            }
            TV.Store(c0, ref c, p0); TV.Store(c1, ref c, p1); TV.Store(c2, ref c, p2); TV.Store(c3, ref c, p3);
        }
    }

    // two rows of c (n >= 8 columns) += a's two rows m, in 256-bit vectors: RowVectors' passes of up to four vectors
    // (the last overlapping the one before it, never left alone for a pass of its own), both rows in each pass. As in
    // MultiplyAddTwoParts, m may go on in m2 (depth2 more rows; a goes on at depth), and with fromStart c's two rows
    // start from starts[0] and starts[1] instead of their stored values
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void TwoRows(ref float a0, ref float a1, nint aStep, ref float m, nint mRow, int depth, ref float c0, ref float c1, int n,
        ref float m2, int depth2, ref float starts, bool fromStart)
    {
        for (var pass = RowPass.First<V256>(n); pass.Count > 0; pass = pass.Next<V256>(n))
        {
            var (p0, p1, p2, p3) = (pass.P0, pass.P1, pass.P2, pass.P3);
            // one test for the eight accumulators (see SixRowsPair)
            V256 c00, c01, c02, c03, c10, c11, c12, c13;
            if (fromStart)
            {
                c00 = c01 = c02 = c03 = V256.Broadcast(starts);
                c10 = c11 = c12 = c13 = V256.Broadcast(Unsafe.Add(ref starts, 1));
            }
            else
            {
                c00 = V256.Load(ref c0, p0); c01 = V256.Load(ref c0, p1); c02 = V256.Load(ref c0, p2); c03 = V256.Load(ref c0, p3);
                c10 = V256.Load(ref c1, p0); c11 = V256.Load(ref c1, p1); c12 = V256.Load(ref c1, p2); c13 = V256.Load(ref c1, p3);
            }
            nint ak = 0;
            ref float mPart = ref m;
            for (int part = 0, partDepth = depth; part < 2; part++, partDepth = depth2, mPart = ref m2)
                for (nint k = 0, mk = 0; k < partDepth; k++, ak += aStep, mk += mRow)
                {
                    V256 w0 = V256.Load(ref mPart, mk + p0), w1 = V256.Load(ref mPart, mk + p1), w2 = V256.Load(ref mPart, mk + p2), w3 = V256.Load(ref mPart, mk + p3);
                    var x = V256.Broadcast(Unsafe.Add(ref a0, ak));
                    c00 = V256.FusedMultiplyAdd(x, w0, c00); c01 = V256.FusedMultiplyAdd(x, w1, c01); c02 = V256.FusedMultiplyAdd(x, w2, c02); c03 = V256.FusedMultiplyAdd(x, w3, c03);
                    x = V256.Broadcast(Unsafe.Add(ref a1, ak));
                    c10 = V256.FusedMultiplyAdd(x, w0, c10); c11 = V256.FusedMultiplyAdd(x, w1, c11); c12 = V256.FusedMultiplyAdd(x, w2, c12); c13 = V256.FusedMultiplyAdd(x, w3, c13);
                }
            V256.Store(c00, ref c0, p0); V256.Store(c01, ref c0, p1); V256.Store(c02, ref c0, p2); V256.Store(c03, ref c0, p3);
            V256.Store(c10, ref c1, p0); V256.Store(c11, ref c1, p1); V256.Store(c12, ref c1, p2); V256.Store(c13, ref c1, p3);
        }
    }

    // columns j.. of the block's rows while whole vectors (or pairs of vectors) of TM fit; returns the next column
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Columns<TM, TV>(in Rows a, ref float m, nint mRow, int depth, in Rows c, int j, int n, int rb, bool pairs)
        where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
    {
        if (pairs)
        {
            for (; j <= n - 2 * TM.Count; j += 2 * TM.Count) BlockPair<TM, TV>(a, ref Unsafe.Add(ref m, j), mRow, depth, c, j, TM.Count, rb);
            // one to two vectors left: a pair whose second vector ends at n (see OverlappedPair)
            if (OverlappedPair(j, n, TM.Count)) return BlockPair<TM, TV>(a, ref Unsafe.Add(ref m, j), mRow, depth, c, j, n - TM.Count - j, rb);
        }
        for (; j <= n - TM.Count; j += TM.Count) Block<TM, TV>(a, ref Unsafe.Add(ref m, j), mRow, depth, c, j, rb);
        return j;
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

    // whether columns j..n are more than one vector of count and fewer than two: then they run as one pair whose second
    // vector starts at n - count, overlapping the first. Both start from the same stored values and take the same
    // multiply-adds, so the shared columns get the same bits twice; the pair's chains run side by side, where a vector
    // and then a narrower one ran one after the other (20 columns: 16, then 4)
    private static bool OverlappedPair(int j, int n, int count) => n - j > count && n - j < 2 * count;

    // 4 rows x 2 vectors of columns (at j and j + second): 8 accumulators; returns the next column
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BlockPair<TM, TV>(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, nint second, int rb)
        where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
    {
        nint j1 = j + second;
        TV c00 = TM.Load(ref c.R0, j), c01 = TM.Load(ref c.R0, j1), c10 = TM.Load(ref c.R1, j), c11 = TM.Load(ref c.R1, j1);
        TV c20 = TM.Load(ref c.R2, j), c21 = TM.Load(ref c.R2, j1), c30 = TM.Load(ref c.R3, j), c31 = TM.Load(ref c.R3, j1);
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            var w0 = TM.Load(ref m, mk);
            var w1 = TM.Load(ref m, mk + second);
            var x0 = TV.Broadcast(Unsafe.Add(ref a.R0, ak));
            c00 = TV.FusedMultiplyAdd(x0, w0, c00); c01 = TV.FusedMultiplyAdd(x0, w1, c01);
            var x1 = TV.Broadcast(Unsafe.Add(ref a.R1, ak));
            c10 = TV.FusedMultiplyAdd(x1, w0, c10); c11 = TV.FusedMultiplyAdd(x1, w1, c11);
            var x2 = TV.Broadcast(Unsafe.Add(ref a.R2, ak));
            c20 = TV.FusedMultiplyAdd(x2, w0, c20); c21 = TV.FusedMultiplyAdd(x2, w1, c21);
            var x3 = TV.Broadcast(Unsafe.Add(ref a.R3, ak));
            c30 = TV.FusedMultiplyAdd(x3, w0, c30); c31 = TV.FusedMultiplyAdd(x3, w1, c31);
        }
        TM.Store(c00, ref c.R0, j); TM.Store(c01, ref c.R0, j1);
        if (rb > 1) { TM.Store(c10, ref c.R1, j); TM.Store(c11, ref c.R1, j1); }
        if (rb > 2) { TM.Store(c20, ref c.R2, j); TM.Store(c21, ref c.R2, j1); }
        if (rb > 3) { TM.Store(c30, ref c.R3, j); TM.Store(c31, ref c.R3, j1); }
        return (int)(j1 + TM.Count);
    }

    // where the block of three vectors starts in columns j..n: 17 to 23 of them left past the pairs (n % 16 of 1 to 7
    // and at least 16 more) end as three vectors, the third ending at n, instead of a pair and then a 128-bit vector
    // and the last lanes, each k loop of its own with 8, 4 and 4 accumulators (`product 20 50 20 transposed`, a 20-unit
    // layer's weight gradient, on an AVX2 host: see the Benchmarks README); else n
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int TripleAt(int j, int n)
    {
        int left = n - j, past = left % (2 * V256.Count);
        return left > 2 * V256.Count && past > 0 && past < V256.Count ? n - 2 * V256.Count - past : n;
    }

    // 4 rows x 3 vectors of columns (at j, j + W and j + third, the third overlapping the second: both start from the
    // same stored values and take the same multiply-adds, so the shared columns get the same bits twice): 12
    // accumulators; returns the next column
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int BlockTriple<TM, TV>(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, nint third, int rb)
        where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
    {
        nint w = TM.Count, j1 = j + w, j2 = j + third;
        TV c00 = TM.Load(ref c.R0, j), c01 = TM.Load(ref c.R0, j1), c02 = TM.Load(ref c.R0, j2);
        TV c10 = TM.Load(ref c.R1, j), c11 = TM.Load(ref c.R1, j1), c12 = TM.Load(ref c.R1, j2);
        TV c20 = TM.Load(ref c.R2, j), c21 = TM.Load(ref c.R2, j1), c22 = TM.Load(ref c.R2, j2);
        TV c30 = TM.Load(ref c.R3, j), c31 = TM.Load(ref c.R3, j1), c32 = TM.Load(ref c.R3, j2);
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            var w0 = TM.Load(ref m, mk);
            var w1 = TM.Load(ref m, mk + w);
            var w2 = TM.Load(ref m, mk + third);
            var x = TV.Broadcast(Unsafe.Add(ref a.R0, ak));
            c00 = TV.FusedMultiplyAdd(x, w0, c00); c01 = TV.FusedMultiplyAdd(x, w1, c01); c02 = TV.FusedMultiplyAdd(x, w2, c02);
            x = TV.Broadcast(Unsafe.Add(ref a.R1, ak));
            c10 = TV.FusedMultiplyAdd(x, w0, c10); c11 = TV.FusedMultiplyAdd(x, w1, c11); c12 = TV.FusedMultiplyAdd(x, w2, c12);
            x = TV.Broadcast(Unsafe.Add(ref a.R2, ak));
            c20 = TV.FusedMultiplyAdd(x, w0, c20); c21 = TV.FusedMultiplyAdd(x, w1, c21); c22 = TV.FusedMultiplyAdd(x, w2, c22);
            x = TV.Broadcast(Unsafe.Add(ref a.R3, ak));
            c30 = TV.FusedMultiplyAdd(x, w0, c30); c31 = TV.FusedMultiplyAdd(x, w1, c31); c32 = TV.FusedMultiplyAdd(x, w2, c32);
        }
        TM.Store(c00, ref c.R0, j); TM.Store(c01, ref c.R0, j1); TM.Store(c02, ref c.R0, j2);
        if (rb > 1) { TM.Store(c10, ref c.R1, j); TM.Store(c11, ref c.R1, j1); TM.Store(c12, ref c.R1, j2); }
        if (rb > 2) { TM.Store(c20, ref c.R2, j); TM.Store(c21, ref c.R2, j1); TM.Store(c22, ref c.R2, j2); }
        if (rb > 3) { TM.Store(c30, ref c.R3, j); TM.Store(c31, ref c.R3, j1); TM.Store(c32, ref c.R3, j2); }
        return (int)(j2 + TM.Count);
    }

    // 4 rows x 1 vector of columns (or one column, with Lane)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Block<TM, TV>(in Rows a, ref float m, nint mRow, int depth, in Rows c, nint j, int rb)
        where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
    {
        TV c0 = TM.Load(ref c.R0, j), c1 = TM.Load(ref c.R1, j), c2 = TM.Load(ref c.R2, j), c3 = TM.Load(ref c.R3, j);
        nint ak = 0, mk = 0;
        for (int k = 0; k < depth; k++, ak += a.Step, mk += mRow)
        {
            var w = TM.Load(ref m, mk);
            c0 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref a.R0, ak)), w, c0);
            c1 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref a.R1, ak)), w, c1);
            c2 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref a.R2, ak)), w, c2);
            c3 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref a.R3, ak)), w, c3);
        }
        TM.Store(c0, ref c.R0, j);
        if (rb > 1) TM.Store(c1, ref c.R1, j);
        if (rb > 2) TM.Store(c2, ref c.R2, j);
        if (rb > 3) TM.Store(c3, ref c.R3, j);
    }

    // whether SixRows takes n columns: pairs of 256-bit vectors, then 0 or 8 to 15 columns (not 1 to 7, which no
    // 256-bit vector covers without columns a pair before it stored)
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static bool SixRowsFit(int n)
    {
        int left = n % (2 * V256.Count);
        return left == 0 || left >= V256.Count;
    }

    // rows 0.. of the product in blocks of six while six are left, over m packed where that pays (PairPanels); returns
    // the first row left. A call of its own: in MultiplyAdd, the panels' locals cost the four-row blocks' k loops registers
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int SixRowBlocks(ref float a, nint aRow, nint aCol, ref float m, nint mRow, int depth, ref float c, nint cRow, int rows, int n)
    {
        var panels = PairPanels.Fit(rows, depth, mRow) ? PairPanels.Pack(ref m, mRow, depth, n) : default;
        int first = 0;
        for (; first <= rows - 6; first += 6)
            if (panels.IsEmpty)
                SixRows(ref Unsafe.Add(ref a, (nint)first * aRow), aRow, aCol, ref m, mRow, depth, ref Unsafe.Add(ref c, (nint)first * cRow), cRow, n);
            else
                SixRowsPacked(ref Unsafe.Add(ref a, (nint)first * aRow), aRow, aCol, ref MemoryMarshal.GetReference(panels), depth, ref Unsafe.Add(ref c, (nint)first * cRow), cRow, n);
        return first;
    }

    // a: [6, depth] (a at a[0, 0], rows aRow apart, k step apart), m: [depth, n] -> c: [6, n] += a m, n as SixRowsFit
    // says: pairs of 256-bit vectors; the last 9 to 15 columns as a pair whose second vector ends at n (see
    // OverlappedPair), the last 8 as one vector (SixRowsOne).
    // Blocks of four rows by a pair (8 accumulators) read m's rows and broadcast a's elements 6 times per 8 multiply-adds
    // and fill too few registers to hide latency: A/B on an AVX2 host, best of 2 or 3 rounds, the large rows +21-29%
    // (`product 384 256 256` 1,289 -> 967 us), the chapter's +5-17%
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void SixRows(ref float a, nint aRow, nint step, ref float m, nint mRow, int depth, ref float c, nint cRow, int n)
    {
        int j = 0;
        for (; j <= n - 2 * V256.Count; j += 2 * V256.Count)
            SixRowsPair(ref a, aRow, step, ref m, j, j + V256.Count, mRow, depth, ref c, cRow, j, j + V256.Count, ref m, 0, ref c, false);
        if (j == n) return;
        if (n - j > V256.Count)
            SixRowsPair(ref a, aRow, step, ref m, j, n - V256.Count, mRow, depth, ref c, cRow, j, n - V256.Count, ref m, 0, ref c, false);
        else
            SixRowsOne(ref a, aRow, step, ref Unsafe.Add(ref m, j), mRow, depth, ref Unsafe.Add(ref c, j), cRow);
    }

    // six rows of c, one 256-bit vector of columns at c (rows cRow apart) += a m, m's vector of a row at m (rows mRow
    // apart): a product's last 8 columns where 8 are left past its pairs (20 x 50 x 40, a GRU's z and r columns of dR). Six
    // chains of multiply-adds are fewer than the latency wants, but the pair of that vector with itself (twelve) did
    // twice the multiply-adds for the same columns
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void SixRowsOne(ref float a, nint aRow, nint step, ref float m, nint mRow, int depth, ref float c, nint cRow)
    {
        ref float row3 = ref Unsafe.Add(ref c, 3 * cRow);
        var c0 = Vector256.LoadUnsafe(ref c); var c1 = Vector256.LoadUnsafe(ref c, (nuint)cRow); var c2 = Vector256.LoadUnsafe(ref c, (nuint)(2 * cRow));
        var c3 = Vector256.LoadUnsafe(ref row3); var c4 = Vector256.LoadUnsafe(ref row3, (nuint)cRow); var c5 = Vector256.LoadUnsafe(ref row3, (nuint)(2 * cRow));
        ref float ak = ref a;
        ref float ak3 = ref Unsafe.Add(ref a, 3 * aRow);
        nint a2 = 2 * aRow;
        ref float mk = ref m;
        for (int k = 0; k < depth; k++)
        {
            var w = Vector256.LoadUnsafe(ref mk);
            c0 = Vector256.FusedMultiplyAdd(Vector256.Create(ak), w, c0);
            c1 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ak, aRow)), w, c1);
            c2 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ak, a2)), w, c2);
            c3 = Vector256.FusedMultiplyAdd(Vector256.Create(ak3), w, c3);
            c4 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ak3, aRow)), w, c4);
            c5 = Vector256.FusedMultiplyAdd(Vector256.Create(Unsafe.Add(ref ak3, a2)), w, c5);
            ak = ref Unsafe.Add(ref ak, step);
            ak3 = ref Unsafe.Add(ref ak3, step);
            mk = ref Unsafe.Add(ref mk, mRow);
        }
        c0.StoreUnsafe(ref c); c1.StoreUnsafe(ref c, (nuint)cRow); c2.StoreUnsafe(ref c, (nuint)(2 * cRow));
        c3.StoreUnsafe(ref row3); c4.StoreUnsafe(ref row3, (nuint)cRow); c5.StoreUnsafe(ref row3, (nuint)(2 * cRow));
    }

    // MultiplyAddTwoParts' rows in blocks of six while six are left (16 registers): n whole pairs of 256-bit vectors,
    // m1 [depth1, n] then m2 [depth2, n] (rows mRow apart), each c row from starts[r] where fromStart; returns the
    // first row left
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static int SixRowsTwoParts(ref float a, nint aRow, nint step, ref float m1, int depth1, ref float m2, int depth2, nint mRow,
        ref float c, nint cRow, int rows, int n, ref float starts, bool fromStart)
    {
        int first = 0;
        for (; first <= rows - 6; first += 6)
            for (nint j = 0; j < n; j += 2 * V256.Count)
                SixRowsPair(ref Unsafe.Add(ref a, first * aRow), aRow, step, ref m1, j, j + V256.Count, mRow, depth1, ref Unsafe.Add(ref c, first * cRow), cRow,
                    j, j + V256.Count, ref m2, depth2, ref Unsafe.Add(ref starts, fromStart ? first : 0), fromStart);
        return first;
    }

    // SixRows over m packed a pair of vectors to a panel (PairPanels): panel p, [depth, 16] at p depth 16, holds the
    // columns of the pair at 16 p
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static void SixRowsPacked(ref float a, nint aRow, nint step, ref float panels, int depth, ref float c, nint cRow, int n)
    {
        nint panel = 0;
        for (int j = 0; j < n; j += 2 * V256.Count, panel += (nint)depth * 2 * V256.Count)
        {
            nint j0 = j, j1 = Math.Min(j + V256.Count, n - V256.Count);
            SixRowsPair(ref a, aRow, step, ref Unsafe.Add(ref panels, panel), 0, V256.Count, 2 * V256.Count, depth, ref c, cRow, j0, j1, ref panels, 0, ref c, false);
        }
    }

    // six rows of c, columns j0.. and j1.. (a vector each) += a m, m's two vectors of a row at m0 and m1 (rows mRow apart);
    // m going on in m2 for depth2 more rows (a going on at depth), and with fromStart row r of c starting from starts[r]
    // instead of its stored values (MultiplyAddTwoParts; the other callers pass depth2 0 and fromStart false)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SixRowsPair(ref float a, nint aRow, nint step, ref float m, nint m0, nint m1, nint mRow, int depth, ref float c, nint cRow, nint j0, nint j1,
        ref float m2, int depth2, ref float starts, bool fromStart)
    {
        ref float c3 = ref Unsafe.Add(ref c, 3 * cRow);
        // one test for all twelve accumulators, each row's start broadcast once for its two (a test and a jump apiece cost
        // a tile of one k a quarter to a third of its time, `product 60 1 32 started`, and 60 x 20 x 32 a seventh)
        Vector256<float> c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (fromStart)
        {
            c00 = c01 = Vector256.Create(starts);
            c10 = c11 = Vector256.Create(Unsafe.Add(ref starts, 1));
            c20 = c21 = Vector256.Create(Unsafe.Add(ref starts, 2));
            c30 = c31 = Vector256.Create(Unsafe.Add(ref starts, 3));
            c40 = c41 = Vector256.Create(Unsafe.Add(ref starts, 4));
            c50 = c51 = Vector256.Create(Unsafe.Add(ref starts, 5));
        }
        else
        {
            c00 = Vector256.LoadUnsafe(ref c, (nuint)j0); c01 = Vector256.LoadUnsafe(ref c, (nuint)j1);
            c10 = Vector256.LoadUnsafe(ref c, (nuint)(cRow + j0)); c11 = Vector256.LoadUnsafe(ref c, (nuint)(cRow + j1));
            c20 = Vector256.LoadUnsafe(ref c, (nuint)(2 * cRow + j0)); c21 = Vector256.LoadUnsafe(ref c, (nuint)(2 * cRow + j1));
            c30 = Vector256.LoadUnsafe(ref c3, (nuint)j0); c31 = Vector256.LoadUnsafe(ref c3, (nuint)j1);
            c40 = Vector256.LoadUnsafe(ref c3, (nuint)(cRow + j0)); c41 = Vector256.LoadUnsafe(ref c3, (nuint)(cRow + j1));
            c50 = Vector256.LoadUnsafe(ref c3, (nuint)(2 * cRow + j0)); c51 = Vector256.LoadUnsafe(ref c3, (nuint)(2 * cRow + j1));
        }
        // a's rows 0-2 from ak, 3-5 from ak3, and m's second vector dm past its first: ten registers for the k loop's
        // addresses and counts instead of thirteen (within noise against the one-test start alone)
        ref float ak = ref a;
        ref float ak3 = ref Unsafe.Add(ref a, 3 * aRow);
        nint a2 = 2 * aRow, dm = m1 - m0;
        ref float mk = ref Unsafe.Add(ref m, m0);
        for (int part = 0, partDepth = depth; part < 2; part++, partDepth = depth2, mk = ref Unsafe.Add(ref m2, m0))
            for (int k = 0; k < partDepth; k++)
            {
                var w0 = Vector256.LoadUnsafe(ref mk);
                var w1 = Vector256.LoadUnsafe(ref mk, (nuint)dm);
                var x = Vector256.Create(ak); c00 = Vector256.FusedMultiplyAdd(x, w0, c00); c01 = Vector256.FusedMultiplyAdd(x, w1, c01);
                x = Vector256.Create(Unsafe.Add(ref ak, aRow)); c10 = Vector256.FusedMultiplyAdd(x, w0, c10); c11 = Vector256.FusedMultiplyAdd(x, w1, c11);
                x = Vector256.Create(Unsafe.Add(ref ak, a2)); c20 = Vector256.FusedMultiplyAdd(x, w0, c20); c21 = Vector256.FusedMultiplyAdd(x, w1, c21);
                x = Vector256.Create(ak3); c30 = Vector256.FusedMultiplyAdd(x, w0, c30); c31 = Vector256.FusedMultiplyAdd(x, w1, c31);
                x = Vector256.Create(Unsafe.Add(ref ak3, aRow)); c40 = Vector256.FusedMultiplyAdd(x, w0, c40); c41 = Vector256.FusedMultiplyAdd(x, w1, c41);
                x = Vector256.Create(Unsafe.Add(ref ak3, a2)); c50 = Vector256.FusedMultiplyAdd(x, w0, c50); c51 = Vector256.FusedMultiplyAdd(x, w1, c51);
                ak = ref Unsafe.Add(ref ak, step);
                ak3 = ref Unsafe.Add(ref ak3, step);
                mk = ref Unsafe.Add(ref mk, mRow);
            }
        c00.StoreUnsafe(ref c, (nuint)j0); c01.StoreUnsafe(ref c, (nuint)j1);
        c10.StoreUnsafe(ref c, (nuint)(cRow + j0)); c11.StoreUnsafe(ref c, (nuint)(cRow + j1));
        c20.StoreUnsafe(ref c, (nuint)(2 * cRow + j0)); c21.StoreUnsafe(ref c, (nuint)(2 * cRow + j1));
        c30.StoreUnsafe(ref c3, (nuint)j0); c31.StoreUnsafe(ref c3, (nuint)j1);
        c40.StoreUnsafe(ref c3, (nuint)(cRow + j0)); c41.StoreUnsafe(ref c3, (nuint)(cRow + j1));
        c50.StoreUnsafe(ref c3, (nuint)(2 * cRow + j0)); c51.StoreUnsafe(ref c3, (nuint)(2 * cRow + j1));
    }

    /// <summary>
    /// Eight rows of a product (a's and c's first elements, their strides, and m): their columns in blocks of 8 rows by
    /// one or two vectors of one width, each width a call of its own, optimised from the start; or, the last four rows
    /// of a product, in blocks of 4 rows by four vectors (<see cref="FourRows"/>). Two things only the pair blocks read:
    /// m may go on in a second part (rows depth .. depth + depth2 - 1 of m are then the rows of m2, the same row stride),
    /// and with fromStart every c[r, j] starts from start[r] instead of its stored value (c = start + a m).
    /// </summary>
    private readonly ref struct Block8(ref float a, nint aAt, nint aRow, nint aCol, ref float m, nint mRow, int depth, ref float m2, int depth2,
        ref float c, nint cAt, nint cRow, ref float start, bool fromStart)
    {
        private readonly ref float _a = ref Unsafe.Add(ref a, aAt), _m = ref m, _m2 = ref m2, _c = ref Unsafe.Add(ref c, cAt), _start = ref start;
        private readonly nint _aRow = aRow, _aCol = aCol, _mRow = mRow, _cRow = cRow;
        private readonly int _depth = depth, _depth2 = depth2;
        private readonly bool _fromStart = fromStart;

        // columns j.. while whole vectors (or pairs of vectors) of TM fit; returns the next column
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public int Columns<TM, TV>(int j, int n, bool pairs) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            if (pairs)
            {
                for (; j <= n - 2 * TM.Count; j += 2 * TM.Count) Pair<TM, TV, EightPairRows>(j, TM.Count);
                // one to two vectors left: a pair whose second vector ends at n (see OverlappedPair)
                if (OverlappedPair(j, n, TM.Count)) return Pair<TM, TV, EightPairRows>(j, n - TM.Count - j);
            }
            for (; j <= n - TM.Count; j += TM.Count) Single<TM, TV>(j);
            return j;
        }

        // the last n - j (1 to 3) columns: with n >= 4 as one overlapped vector (OverlappedLanes), else a lane at a time
        public void Last(int j, int n)
        {
            switch (n < V128.Count ? 0 : n - j)
            {
                case 1: Columns<OverlappedLanes<NewLane3>, V128>(n - 4, n, pairs: false); break;
                case 2: Columns<OverlappedLanes<NewLanes2To3>, V128>(n - 4, n, pairs: false); break;
                case 3: Columns<OverlappedLanes<NewLanes1To3>, V128>(n - 4, n, pairs: false); break;
                default: Columns<Lane, V128>(j, n, pairs: false); break;
            }
        }

        // columns j..n (16 + 4, 8 or 12 of them) packed by QuadColumns; returns n
        public int Quads(int j, int n)
        {
            QuadColumns.MultiplyAdd(8, ref _a, _aCol, ref Unsafe.Add(ref _m, j), _mRow, _depth, ref Unsafe.Add(ref _c, j), _cRow, n - j);
            return n;
        }

        // 8 rows x 2 vectors of columns (at j and j + second): 16 accumulators; with TwelvePairRows, the four rows after them
        // too (24 accumulators: the JIT drops the code of rows 8 to 11 from the eight-row form, TRows.Twelve being a
        // constant). Too many locals to inline: a call, optimised from the start; returns the next column
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        private int Pair<TM, TV, TRows>(nint j, nint second) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> where TRows : IPairRows
        {
            nint j1 = j + second, cr = _cRow, ar = _aRow, a2 = 2 * ar, a3 = 3 * ar, step = _aCol, mRow = _mRow;
            ref float c0 = ref _c;
            ref float c4 = ref Unsafe.Add(ref c0, 4 * cr);
            ref float c8 = ref Unsafe.Add(ref c0, 8 * cr);
            // every c[r, j] starts from its stored value, or from row r's start value (see _start): one test for every
            // accumulator (a test and a jump apiece cost the AVX2 blocks' tiles a quarter to a third of their time at k = 1)
            TV c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
            TV c80 = default, c81 = default, c90 = default, c91 = default, cA0 = default, cA1 = default, cB0 = default, cB1 = default;
            if (_fromStart)
            {
                c00 = c01 = StartOf<TV>(0); c10 = c11 = StartOf<TV>(1); c20 = c21 = StartOf<TV>(2); c30 = c31 = StartOf<TV>(3);
                c40 = c41 = StartOf<TV>(4); c50 = c51 = StartOf<TV>(5); c60 = c61 = StartOf<TV>(6); c70 = c71 = StartOf<TV>(7);
                if (TRows.Twelve) { c80 = c81 = StartOf<TV>(8); c90 = c91 = StartOf<TV>(9); cA0 = cA1 = StartOf<TV>(10); cB0 = cB1 = StartOf<TV>(11); }
            }
            else
            {
                (c00, c01, c10, c11) = (Stored<TM, TV>(0, j), Stored<TM, TV>(0, j1), Stored<TM, TV>(1, j), Stored<TM, TV>(1, j1));
                (c20, c21, c30, c31) = (Stored<TM, TV>(2, j), Stored<TM, TV>(2, j1), Stored<TM, TV>(3, j), Stored<TM, TV>(3, j1));
                (c40, c41, c50, c51) = (Stored<TM, TV>(4, j), Stored<TM, TV>(4, j1), Stored<TM, TV>(5, j), Stored<TM, TV>(5, j1));
                (c60, c61, c70, c71) = (Stored<TM, TV>(6, j), Stored<TM, TV>(6, j1), Stored<TM, TV>(7, j), Stored<TM, TV>(7, j1));
                if (TRows.Twelve)
                {
                    (c80, c81, c90, c91) = (Stored<TM, TV>(8, j), Stored<TM, TV>(8, j1), Stored<TM, TV>(9, j), Stored<TM, TV>(9, j1));
                    (cA0, cA1, cB0, cB1) = (Stored<TM, TV>(10, j), Stored<TM, TV>(10, j1), Stored<TM, TV>(11, j), Stored<TM, TV>(11, j1));
                }
            }
            ref float ak = ref _a;
            ref float ak4 = ref Unsafe.Add(ref ak, 4 * ar);
            ref float ak8 = ref Unsafe.Add(ref ak, 8 * ar);
            ref float mk = ref Unsafe.Add(ref _m, j);
            // m's first part, then its second (none when depth2 is 0): every c[r, j] goes on adding in k order where the first left it
            int depth = _depth;
            for (int part = 0; part < 2; part++)
            {
                for (int k = 0; k < depth; k++)
                {
                    var w0 = TM.Load(ref mk, 0);
                    var w1 = TM.Load(ref mk, second);
                    // row r of the tile: x = a[r, k] on every lane, c[r] += x * m[k, the two vectors' columns]
                    var x = TV.Broadcast(ak); c00 = TV.FusedMultiplyAdd(x, w0, c00); c01 = TV.FusedMultiplyAdd(x, w1, c01);
                    x = TV.Broadcast(Unsafe.Add(ref ak, ar)); c10 = TV.FusedMultiplyAdd(x, w0, c10); c11 = TV.FusedMultiplyAdd(x, w1, c11);
                    x = TV.Broadcast(Unsafe.Add(ref ak, a2)); c20 = TV.FusedMultiplyAdd(x, w0, c20); c21 = TV.FusedMultiplyAdd(x, w1, c21);
                    x = TV.Broadcast(Unsafe.Add(ref ak, a3)); c30 = TV.FusedMultiplyAdd(x, w0, c30); c31 = TV.FusedMultiplyAdd(x, w1, c31);
                    x = TV.Broadcast(ak4); c40 = TV.FusedMultiplyAdd(x, w0, c40); c41 = TV.FusedMultiplyAdd(x, w1, c41);
                    x = TV.Broadcast(Unsafe.Add(ref ak4, ar)); c50 = TV.FusedMultiplyAdd(x, w0, c50); c51 = TV.FusedMultiplyAdd(x, w1, c51);
                    x = TV.Broadcast(Unsafe.Add(ref ak4, a2)); c60 = TV.FusedMultiplyAdd(x, w0, c60); c61 = TV.FusedMultiplyAdd(x, w1, c61);
                    x = TV.Broadcast(Unsafe.Add(ref ak4, a3)); c70 = TV.FusedMultiplyAdd(x, w0, c70); c71 = TV.FusedMultiplyAdd(x, w1, c71);
                    if (TRows.Twelve)
                    {
                        x = TV.Broadcast(ak8); c80 = TV.FusedMultiplyAdd(x, w0, c80); c81 = TV.FusedMultiplyAdd(x, w1, c81);
                        x = TV.Broadcast(Unsafe.Add(ref ak8, ar)); c90 = TV.FusedMultiplyAdd(x, w0, c90); c91 = TV.FusedMultiplyAdd(x, w1, c91);
                        x = TV.Broadcast(Unsafe.Add(ref ak8, a2)); cA0 = TV.FusedMultiplyAdd(x, w0, cA0); cA1 = TV.FusedMultiplyAdd(x, w1, cA1);
                        x = TV.Broadcast(Unsafe.Add(ref ak8, a3)); cB0 = TV.FusedMultiplyAdd(x, w0, cB0); cB1 = TV.FusedMultiplyAdd(x, w1, cB1);
                        ak8 = ref Unsafe.Add(ref ak8, step);
                    }
                    ak = ref Unsafe.Add(ref ak, step);
                    ak4 = ref Unsafe.Add(ref ak4, step);
                    mk = ref Unsafe.Add(ref mk, mRow);
                }
                depth = _depth2;
                mk = ref Unsafe.Add(ref _m2, j);
            }
            TM.Store(c00, ref c0, j); TM.Store(c01, ref c0, j1); TM.Store(c10, ref c0, cr + j); TM.Store(c11, ref c0, cr + j1);
            TM.Store(c20, ref c0, 2 * cr + j); TM.Store(c21, ref c0, 2 * cr + j1); TM.Store(c30, ref c0, 3 * cr + j); TM.Store(c31, ref c0, 3 * cr + j1);
            TM.Store(c40, ref c4, j); TM.Store(c41, ref c4, j1); TM.Store(c50, ref c4, cr + j); TM.Store(c51, ref c4, cr + j1);
            TM.Store(c60, ref c4, 2 * cr + j); TM.Store(c61, ref c4, 2 * cr + j1); TM.Store(c70, ref c4, 3 * cr + j); TM.Store(c71, ref c4, 3 * cr + j1);
            if (TRows.Twelve)
            {
                TM.Store(c80, ref c8, j); TM.Store(c81, ref c8, j1); TM.Store(c90, ref c8, cr + j); TM.Store(c91, ref c8, cr + j1);
                TM.Store(cA0, ref c8, 2 * cr + j); TM.Store(cA1, ref c8, 2 * cr + j1); TM.Store(cB0, ref c8, 3 * cr + j); TM.Store(cB1, ref c8, 3 * cr + j1);
            }
            return (int)(j1 + TM.Count);
        }

        // row r's start value on every lane (see _start)
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private TV StartOf<TV>(nint r) where TV : struct, IVector<TV> => TV.Broadcast(Unsafe.Add(ref _start, r));

        // c[r, column ..] as stored
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private TV Stored<TM, TV>(nint r, nint column) where TM : IVectorMemory<TV> where TV : struct, IVector<TV> => TM.Load(ref _c, r * _cRow + column);

        // twelve rows (the block's eight and the four after them) by pairs of TM vectors, columns 0..n (n a multiple of
        // two vectors)
        public void TwelveRows<TM, TV>(int n) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            for (int j = 0; j < n; j += 2 * TM.Count) Pair<TM, TV, TwelvePairRows>(j, TM.Count);
        }

        // the block's first four rows only (the four a product has past its eight-row blocks), columns j.. while four
        // vectors of TM fit; returns the next column
        [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
        public int FourRows<TM, TV>(int j, int n) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            for (; j <= n - 4 * TM.Count; j += 4 * TM.Count) FourRowTile<TM, TV>(j);
            return j;
        }

        // 4 rows x 4 vectors of columns (at j, j + W, j + 2W, j + 3W)
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void FourRowTile<TM, TV>(nint j) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            nint w = TM.Count, cr = _cRow, ar = _aRow, a2 = 2 * ar, a3 = 3 * ar, step = _aCol, mRow = _mRow;
            ref float c0 = ref Unsafe.Add(ref _c, j);
            ref float c2 = ref Unsafe.Add(ref c0, 2 * cr);
            TV c00 = TM.Load(ref c0, 0), c01 = TM.Load(ref c0, w), c02 = TM.Load(ref c0, 2 * w), c03 = TM.Load(ref c0, 3 * w);
            TV c10 = TM.Load(ref c0, cr), c11 = TM.Load(ref c0, cr + w), c12 = TM.Load(ref c0, cr + 2 * w), c13 = TM.Load(ref c0, cr + 3 * w);
            TV c20 = TM.Load(ref c2, 0), c21 = TM.Load(ref c2, w), c22 = TM.Load(ref c2, 2 * w), c23 = TM.Load(ref c2, 3 * w);
            TV c30 = TM.Load(ref c2, cr), c31 = TM.Load(ref c2, cr + w), c32 = TM.Load(ref c2, cr + 2 * w), c33 = TM.Load(ref c2, cr + 3 * w);
            ref float ak = ref _a;
            ref float mk = ref Unsafe.Add(ref _m, j);
            for (int k = 0; k < _depth; k++)
            {
                var w0 = TM.Load(ref mk, 0);
                var w1 = TM.Load(ref mk, w);
                var w2 = TM.Load(ref mk, 2 * w);
                var w3 = TM.Load(ref mk, 3 * w);
                // row r of the tile: x = a[r, k] on every lane, c[r] += x * m[k, the four vectors' columns]
                var x = TV.Broadcast(ak); c00 = TV.FusedMultiplyAdd(x, w0, c00); c01 = TV.FusedMultiplyAdd(x, w1, c01); c02 = TV.FusedMultiplyAdd(x, w2, c02); c03 = TV.FusedMultiplyAdd(x, w3, c03);
                x = TV.Broadcast(Unsafe.Add(ref ak, ar)); c10 = TV.FusedMultiplyAdd(x, w0, c10); c11 = TV.FusedMultiplyAdd(x, w1, c11); c12 = TV.FusedMultiplyAdd(x, w2, c12); c13 = TV.FusedMultiplyAdd(x, w3, c13);
                x = TV.Broadcast(Unsafe.Add(ref ak, a2)); c20 = TV.FusedMultiplyAdd(x, w0, c20); c21 = TV.FusedMultiplyAdd(x, w1, c21); c22 = TV.FusedMultiplyAdd(x, w2, c22); c23 = TV.FusedMultiplyAdd(x, w3, c23);
                x = TV.Broadcast(Unsafe.Add(ref ak, a3)); c30 = TV.FusedMultiplyAdd(x, w0, c30); c31 = TV.FusedMultiplyAdd(x, w1, c31); c32 = TV.FusedMultiplyAdd(x, w2, c32); c33 = TV.FusedMultiplyAdd(x, w3, c33);
                ak = ref Unsafe.Add(ref ak, step);
                mk = ref Unsafe.Add(ref mk, mRow);
            }
            TM.Store(c00, ref c0, 0); TM.Store(c01, ref c0, w); TM.Store(c02, ref c0, 2 * w); TM.Store(c03, ref c0, 3 * w);
            TM.Store(c10, ref c0, cr); TM.Store(c11, ref c0, cr + w); TM.Store(c12, ref c0, cr + 2 * w); TM.Store(c13, ref c0, cr + 3 * w);
            TM.Store(c20, ref c2, 0); TM.Store(c21, ref c2, w); TM.Store(c22, ref c2, 2 * w); TM.Store(c23, ref c2, 3 * w);
            TM.Store(c30, ref c2, cr); TM.Store(c31, ref c2, cr + w); TM.Store(c32, ref c2, cr + 2 * w); TM.Store(c33, ref c2, cr + 3 * w);
        }

        // 8 rows x 1 vector of columns (or one column, with Lane)
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Single<TM, TV>(nint j) where TM : IVectorMemory<TV> where TV : struct, IVector<TV>
        {
            nint cr = _cRow, ar = _aRow, a2 = 2 * ar, a3 = 3 * ar, step = _aCol, mRow = _mRow;
            ref float c0 = ref _c;
            ref float c4 = ref Unsafe.Add(ref c0, 4 * cr);
            TV v0 = TM.Load(ref c0, j), v1 = TM.Load(ref c0, cr + j), v2 = TM.Load(ref c0, 2 * cr + j), v3 = TM.Load(ref c0, 3 * cr + j);
            TV v4 = TM.Load(ref c4, j), v5 = TM.Load(ref c4, cr + j), v6 = TM.Load(ref c4, 2 * cr + j), v7 = TM.Load(ref c4, 3 * cr + j);
            ref float ak = ref _a;
            ref float ak4 = ref Unsafe.Add(ref ak, 4 * ar);
            ref float mk = ref Unsafe.Add(ref _m, j);
            for (int k = 0; k < _depth; k++)
            {
                var w = TM.Load(ref mk, 0);
                v0 = TV.FusedMultiplyAdd(TV.Broadcast(ak), w, v0);
                v1 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref ak, ar)), w, v1);
                v2 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref ak, a2)), w, v2);
                v3 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref ak, a3)), w, v3);
                v4 = TV.FusedMultiplyAdd(TV.Broadcast(ak4), w, v4);
                v5 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref ak4, ar)), w, v5);
                v6 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref ak4, a2)), w, v6);
                v7 = TV.FusedMultiplyAdd(TV.Broadcast(Unsafe.Add(ref ak4, a3)), w, v7);
                ak = ref Unsafe.Add(ref ak, step);
                ak4 = ref Unsafe.Add(ref ak4, step);
                mk = ref Unsafe.Add(ref mk, mRow);
            }
            TM.Store(v0, ref c0, j); TM.Store(v1, ref c0, cr + j); TM.Store(v2, ref c0, 2 * cr + j); TM.Store(v3, ref c0, 3 * cr + j);
            TM.Store(v4, ref c4, j); TM.Store(v5, ref c4, cr + j); TM.Store(v6, ref c4, 2 * cr + j); TM.Store(v7, ref c4, 3 * cr + j);
        }
    }

    // how many rows a pair block of Block8 takes: its eight, or twelve (see Block8.TwelveRows)
    private interface IPairRows
    {
        static abstract bool Twelve { get; }
    }

    private readonly struct EightPairRows : IPairRows
    {
        public static bool Twelve => false;
    }

    private readonly struct TwelvePairRows : IPairRows
    {
        public static bool Twelve => true;
    }

    // every index start + i*step1 + k*step2 (i < count1, k < count2) lies in [0, length); inlined, the throw apart
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckRange(int length, int start, int step1, int count1, int step2, int count2, string name)
    {
        long low = start, high = start;
        long span1 = (long)(count1 - 1) * step1, span2 = (long)(count2 - 1) * step2;
        low += Math.Min(0, span1) + Math.Min(0, span2);
        high += Math.Max(0, span1) + Math.Max(0, span2);
        if (low < 0 || high >= length) ThrowOutside(name, low, high, length);
    }

    [DoesNotReturn, MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowOutside(string name, long low, long high, int length) =>
        throw new ArgumentOutOfRangeException(name, $"the product reads or writes {name}[{low}..{high}] but {name} has {length} elements");
}
