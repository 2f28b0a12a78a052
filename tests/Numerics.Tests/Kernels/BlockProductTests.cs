using RnnCluster.Numerics.Kernels;
using static RnnCluster.Numerics.Tests.Kernels.KernelData;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>
/// BlockProduct.MultiplyAdd gives the bits of the plain triple loop (k in order, one fused multiply-add each) for
/// every block shape, column tail (1 to 3 columns past the vectors, overlapped pairs, every packed width, and a single
/// row's passes of up to four vectors) and stride sign, and the
/// product itself on an example worked by hand.
/// </summary>
public class BlockProductTests
{
    public static IEnumerable<object[]> Shapes()
    {
        foreach (int rows in new[] { 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 20, 23, 28 })
            foreach (int n in new[] { 1, 3, 4, 5, 6, 8, 10, 12, 15, 16, 17, 20, 24, 28, 31, 32, 33, 40, 48, 50, 52, 56, 60, 64, 68, 80, 84, 100, 130 })
                foreach (int depth in new[] { 1, 2, 20, 51 })
                    yield return [rows, n, depth];
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Row_major_product_matches_the_triple_loop(int rows, int n, int depth)
    {
        // a: [rows, depth] inside rows of 3 + depth (padding between rows), m: [depth, n], c: [rows, n + 2]
        int aRow = depth + 3, cRow = n + 2;
        var a = Random(rows * aRow + 1, 1);
        var m = Random(depth * n + 5, 2);
        var expected = Random(rows * cRow, 3);
        var actual = (float[])expected.Clone();
        ScalarKernels.ProductAdd(new MatrixIn(a, 1, aRow), new MatrixIn(m, 5, n), new MatrixOut(expected, 0, cRow), rows: rows, depth: depth, columns: n);
        BlockProduct.MultiplyAdd(new MatrixIn(a, 1, aRow), new MatrixIn(m, 5, n), new MatrixOut(actual, 0, cRow), rows: rows, depth: depth, columns: n);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Transposed_product_with_k_running_backwards_matches_the_triple_loop(int rows, int n, int depth)
    {
        // the weight-gradient form: a[r, k] = x[depth - 1 - k, r] (x: [depth, rows]), m[k, j] = dz[depth - 1 - k, j]
        var x = Random(depth * rows, 4);
        var dz = Random(depth * n, 5);
        var expected = Random(rows * n, 6);
        var actual = (float[])expected.Clone();
        ScalarKernels.ProductAdd(new MatrixIn(x, (depth - 1) * rows, 1, -rows), new MatrixIn(dz, (depth - 1) * n, -n), new MatrixOut(expected, 0, n), rows: rows, depth: depth, columns: n);
        BlockProduct.MultiplyAdd(new MatrixIn(x, (depth - 1) * rows, 1, -rows), new MatrixIn(dz, (depth - 1) * n, -n), new MatrixOut(actual, 0, n), rows: rows, depth: depth, columns: n);
        AssertBitwiseEqual(expected, actual);
    }

    // products whose m (rows 256 floats apart, as the large layers' batch of 256) is packed into pair panels on
    // 16-register hosts (PairPanels.Fit): whole pairs, a last pair overlapping the one before it (n % 16 from 9 to 15),
    // a last vector taken with itself (n % 16 == 8); rows past the six-row blocks (27 = 4 x 6 + 3) read m unpacked
    public static IEnumerable<object[]> PackedShapes()
    {
        foreach (int rows in new[] { 24, 27, 30, 64 })
            foreach (int n in new[] { 96, 104, 121, 127, 128, 136, 256 })
                foreach (int depth in new[] { 43, 64 })
                    yield return [rows, n, depth];
    }

    [Theory]
    [MemberData(nameof(PackedShapes))]
    public void Products_of_packed_panels_match_the_triple_loop(int rows, int n, int depth)
    {
        const int mRow = 256;
        Assert.True(PairPanels.Fit(rows, depth, mRow));
        // row-major a; then the weight-gradient form (a transposed, k running backwards)
        var a = Random(rows * depth, 7);
        var m = Random(depth * mRow, 8);
        var expected = Random(rows * n, 9);
        var actual = (float[])expected.Clone();
        ScalarKernels.ProductAdd(new MatrixIn(a, 0, depth), new MatrixIn(m, 0, mRow), new MatrixOut(expected, 0, n), rows, depth, n);
        BlockProduct.MultiplyAdd(new MatrixIn(a, 0, depth), new MatrixIn(m, 0, mRow), new MatrixOut(actual, 0, n), rows, depth, n);
        AssertBitwiseEqual(expected, actual);
        ScalarKernels.ProductAdd(new MatrixIn(a, (depth - 1) * rows, 1, -rows), new MatrixIn(m, (depth - 1) * mRow, -mRow), new MatrixOut(expected, 0, n), rows, depth, n);
        BlockProduct.MultiplyAdd(new MatrixIn(a, (depth - 1) * rows, 1, -rows), new MatrixIn(m, (depth - 1) * mRow, -mRow), new MatrixOut(actual, 0, n), rows, depth, n);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [InlineData(24, 43, 256, true)]    // 1 KB apart: 4 sets, 32 ways; 43 rows
    [InlineData(24, 16, 256, false)]   // 16 rows fit
    [InlineData(18, 64, 256, false)]   // three blocks of six rows
    [InlineData(24, 64, 512, true)]    // 2 KB apart: 2 sets
    [InlineData(24, 50, 384, true)]    // 24 lines apart: 8 sets, 64 ways
    [InlineData(24, 20, 384, false)]
    [InlineData(24, 128, 96, false)]   // 6 lines apart: 32 sets, 256 ways
    [InlineData(24, 200, 100, false)]  // 6.25 lines apart: every set
    [InlineData(24, 300, 16, true)]    // 1 line apart: every set, 512 ways
    public void Packing_pays_where_a_pairs_rows_would_fill_their_L1_sets(int rows, int depth, int mRow, bool packs)
    {
        Assert.Equal(packs, PairPanels.Fit(rows, depth, mRow));
        Assert.Equal(packs, PairPanels.Fit(rows, depth, -mRow));
    }

    [Fact]
    public void A_pair_panel_holds_its_pairs_columns_row_by_row()
    {
        // n = 40: pairs at 0 (columns 0-7, 8-15), 16 (16-23, 24-31) and 32 (32-39 with itself, as the blocks take it)
        const int depth = 3, n = 40, mRow = 45;
        var m = Random(depth * mRow, 10);
        var panels = PairPanels.Pack(ref m[0], mRow, depth, n).ToArray();
        Assert.Equal(3 * depth * 16, panels.Length);
        for (int k = 0; k < depth; k++)
        {
            Assert.Equal(m.AsSpan(k * mRow, 16).ToArray(), panels.AsSpan(k * 16, 16).ToArray());
            Assert.Equal(m.AsSpan(k * mRow + 16, 16).ToArray(), panels.AsSpan((depth + k) * 16, 16).ToArray());
            Assert.Equal(m.AsSpan(k * mRow + 32, 8).ToArray(), panels.AsSpan((2 * depth + k) * 16, 8).ToArray());
            Assert.Equal(m.AsSpan(k * mRow + 32, 8).ToArray(), panels.AsSpan((2 * depth + k) * 16 + 8, 8).ToArray());
        }
    }

    [Fact]
    public void Computes_a_product_worked_by_hand()
    {
        // a [2, 2] = ((2, -1), (1, 3)), m [2, 3] = ((1, 2, 3), (4, 5, 6)):
        // a m = ((2-4, 4-5, 6-6), (1+12, 2+15, 3+18)) = ((-2, -1, 0), (13, 17, 21)), added to c
        float[] c = [10, 20, 30, 0, 0, 0];
        BlockProduct.MultiplyAdd(new MatrixIn([2f, -1f, 1f, 3f], 0, 2), new MatrixIn([1f, 2f, 3f, 4f, 5f, 6f], 0, 3), new MatrixOut(c, 0, 3), rows: 2, depth: 2, columns: 3);
        Assert.Equal([8f, 19f, 30f, 13f, 17f, 21f], c);
    }

    [Fact]
    public void Refuses_a_product_reaching_outside_its_spans()
    {
        var a = new float[20];
        var m = new float[20];
        var c = new float[20];
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockProduct.MultiplyAdd(new MatrixIn(a, 0, 5), new MatrixIn(m, 0, 5), new MatrixOut(c, 0, 5), rows: 4, depth: 5, columns: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockProduct.MultiplyAdd(new MatrixIn(a, 0, 5, -1), new MatrixIn(m, 0, 5), new MatrixOut(c, 0, 5), rows: 4, depth: 4, columns: 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => BlockProduct.MultiplyAdd(new MatrixIn(a, 0, 5), new MatrixIn(m, 0, 5), new MatrixOut(c, 1, 5), rows: 4, depth: 4, columns: 5));
    }

    [Fact]
    public void An_m_whose_rows_elements_are_not_adjacent_is_refused()
    {
        float[] a = new float[4], m = new float[8], c = new float[4];
        var e = Assert.Throws<ArgumentException>(() => BlockProduct.MultiplyAdd(new MatrixIn(a, 0, 2), new MatrixIn(m, 0, 4, 2), new MatrixOut(c, 0, 2), rows: 2, depth: 2, columns: 2));
        Assert.Equal("m", e.ParamName);
    }

    // the recurrent step's product in two parts: [K; R]^T [x_t^T; h_{t-1}^T] with x_t^T and h_{t-1}^T where they lie
    // (AVX-512: rows of 8, of 12 and then eights, columns whole pairs of 512-bit vectors; AVX2: rows of six, then none or
    // two, columns whole pairs of 256-bit vectors; the chapter's F = 1 and F = U = 20). Shapes the host's blocks do not
    // cover are refused (see PairBlocksFit's own test)
    public static IEnumerable<object[]> TwoPartShapes()
    {
        foreach (int rows in new[] { 2, 6, 8, 12, 16, 20, 26, 60, 80 })
            foreach (int n in new[] { 16, 32, 48, 64 })
                foreach (var (depth1, depth2) in new[] { (1, 20), (20, 20), (3, 7) })
                    yield return [rows, n, depth1, depth2];
    }

    [Theory]
    [MemberData(nameof(TwoPartShapes))]
    public void A_two_part_product_matches_the_triple_loop_over_m_stacked(int rows, int n, int depth1, int depth2)
    {
        // a read transposed (a[r, k] at k rows + r), m1 and m2 apart in one span (rows n + 3 apart), c: [rows, n]
        int depth = depth1 + depth2, mRow = n + 3, at2 = depth1 * mRow + 11;
        var a = Random(depth * rows, 10);
        var parts = Random(at2 + depth2 * mRow, 11);
        var stacked = new float[depth * n];
        for (int k = 0; k < depth; k++)
            parts.AsSpan(k < depth1 ? k * mRow : at2 + (k - depth1) * mRow, n).CopyTo(stacked.AsSpan(k * n, n));
        var expected = Random(rows * n, 12);
        var actual = (float[])expected.Clone();
        ScalarKernels.ProductAdd(new MatrixIn(a, 0, 1, rows), new MatrixIn(stacked, 0, n), new MatrixOut(expected, 0, n), rows, depth, n);
        if (!BlockProduct.PairBlocksFit(rows, n))
        {
            // the layer copies the parts into one block instead, and the kernel refuses
            Assert.Throws<ArgumentException>(() => BlockProduct.MultiplyAddTwoParts(new MatrixIn(a, 0, 1, rows), new MatrixIn(parts, 0, mRow), depth1,
                new MatrixIn(parts, at2, mRow), depth2, new MatrixOut(actual, 0, n), rows, n));
            return;
        }
        BlockProduct.MultiplyAddTwoParts(new MatrixIn(a, 0, 1, rows), new MatrixIn(parts, 0, mRow), depth1, new MatrixIn(parts, at2, mRow), depth2,
            new MatrixOut(actual, 0, n), rows, n);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(TwoPartShapes))]
    public void A_product_started_from_row_values_matches_a_fill_then_the_triple_loop(int rows, int n, int depth1, int depth2)
    {
        // c's rows start from rowStarts (a step's bias) instead of c's stored values, which are garbage here; in one
        // part (the GRU's two products, dL/dh_(t-1) from zeros) and in two
        int mRow = n + 3, at2 = depth1 * mRow + 11;
        var a = Random((depth1 + depth2) * rows, 13);
        var parts = Random(at2 + depth2 * mRow, 14);
        var starts = Random(rows, 15);
        if (!BlockProduct.PairBlocksFit(rows, n))
        {
            // the layer fills and adds instead, and the kernel refuses
            Assert.Throws<ArgumentException>(() => BlockProduct.MultiplyAddTwoParts(new MatrixIn(a, 0, 1, rows), new MatrixIn(parts, 0, mRow), depth1,
                new MatrixIn(parts, at2, mRow), depth2, new MatrixOut(new float[rows * n], 0, n), rows, n, starts));
            return;
        }
        starts[0] = -0f; // a negative zero stays one: it is the start, not a sum
        foreach (int second in new[] { 0, depth2 })
        {
            var stacked = new float[(depth1 + second) * n];
            for (int k = 0; k < depth1 + second; k++)
                parts.AsSpan(k < depth1 ? k * mRow : at2 + (k - depth1) * mRow, n).CopyTo(stacked.AsSpan(k * n, n));
            var expected = new float[rows * n];
            for (int r = 0; r < rows; r++) Array.Fill(expected, starts[r], r * n, n);
            ScalarKernels.ProductAdd(new MatrixIn(a, 0, 1, rows), new MatrixIn(stacked, 0, n), new MatrixOut(expected, 0, n), rows, depth1 + second, n);
            var actual = Random(rows * n, 16);
            BlockProduct.MultiplyAddTwoParts(new MatrixIn(a, 0, 1, rows), new MatrixIn(parts, 0, mRow), depth1, new MatrixIn(parts, at2, mRow), second,
                new MatrixOut(actual, 0, n), rows, n, starts);
            AssertBitwiseEqual(expected, actual);
        }
    }

    [Fact]
    public void Two_part_products_run_where_the_hosts_blocks_cover_them()
    {
        // the chapter's step products (20, 60 and 80 rows by a block of 32 samples) on every host with AVX2 or AVX-512
        bool wide = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated, avx2 = System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated;
        foreach (int rows in new[] { 20, 60, 80 }) Assert.Equal(avx2, BlockProduct.PairBlocksFit(rows, 32));
        // AVX-512: eights, or twelve then eights, over 32-column pairs; AVX2: sixes, then none or two, over 16-column pairs
        Assert.Equal(wide, BlockProduct.PairBlocksFit(16, 32));
        Assert.Equal(!wide && avx2, BlockProduct.PairBlocksFit(26, 32));
        Assert.Equal(!wide && avx2, BlockProduct.PairBlocksFit(20, 16));
    }

    [Fact]
    public void A_two_part_product_of_a_shape_its_blocks_do_not_cover_is_refused()
    {
        float[] a = new float[40 * 20], m = new float[40 * 20], c = new float[20 * 20];
        Assert.False(BlockProduct.PairBlocksFit(20, 20));
        Assert.False(BlockProduct.PairBlocksFit(4, 32));
        var e = Assert.Throws<ArgumentException>(() => BlockProduct.MultiplyAddTwoParts(new MatrixIn(a, 0, 1, 20), new MatrixIn(m, 0, 20), 20,
            new MatrixIn(m, 400, 20), 20, new MatrixOut(c, 0, 20), rows: 20, columns: 20));
        Assert.Equal("rows", e.ParamName);
    }
}
