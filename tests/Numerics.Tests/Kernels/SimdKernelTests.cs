using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>Every SIMD kernel equals its scalar reference bit for bit, at every length 0..256.</summary>
public class SimdKernelTests
{
    public static IEnumerable<object[]> Lengths => Enumerable.Range(0, 257).Select(n => new object[] { n });

    private static float[] Random(int n, int seed, float scale = 2f)
    {
        var random = new Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(random.NextDouble() - 0.5) * scale;
        return x;
    }

    private static void AssertBitwiseEqual(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MultiplyAdd_matches_scalar(int n)
    {
        var x = Random(n, 1);
        var expected = Random(n, 2);
        var actual = (float[])expected.Clone();
        ScalarKernels.MultiplyAdd(0.731f, x, expected);
        SimdKernels.MultiplyAdd(0.731f, x, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Add_matches_scalar(int n)
    {
        var x = Random(n, 3);
        var expected = Random(n, 4);
        var actual = (float[])expected.Clone();
        ScalarKernels.Add(x, expected);
        SimdKernels.Add(x, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Divide_matches_scalar(int n)
    {
        var expected = Random(n, 5);
        var actual = (float[])expected.Clone();
        ScalarKernels.Divide(expected, 24f);
        SimdKernels.Divide(actual, 24f);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Tanh_matches_scalar(int n)
    {
        var z = Random(n, 6, 8f);
        var expected = new float[n];
        var actual = new float[n];
        ScalarKernels.Tanh(z, expected);
        SimdKernels.Tanh(z, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void TanhBackward_matches_scalar(int n)
    {
        var h = Random(n, 7);
        var dh = Random(n, 8);
        var expected = new float[n];
        var actual = new float[n];
        ScalarKernels.TanhBackward(h, dh, expected);
        SimdKernels.TanhBackward(h, dh, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void VectorMatrixAdd_matches_scalar(int cols)
    {
        foreach (int rows in new[] { 0, 1, 3, 20 })
        {
            var v = Random(rows, 9);
            var m = Random(rows * cols, 10);
            var expected = Random(cols, 11);
            var actual = (float[])expected.Clone();
            ScalarKernels.VectorMatrixAdd(v, m, expected);
            SimdKernels.VectorMatrixAdd(v, m, actual);
            AssertBitwiseEqual(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void OuterAdd_matches_scalar(int cols)
    {
        foreach (int rows in new[] { 0, 1, 5, 20 })
        {
            var u = Random(rows, 12);
            var v = Random(cols, 13);
            var expected = Random(rows * cols, 14);
            var actual = (float[])expected.Clone();
            ScalarKernels.OuterAdd(u, v, expected);
            SimdKernels.OuterAdd(u, v, actual);
            AssertBitwiseEqual(expected, actual);
        }
    }

    [Fact]
    public void VectorMatrixAdd_computes_the_product_row_after_row()
    {
        // v [2] = (2, -1), m [2, 3] = ((1, 2, 3), (4, 5, 6)): v m = (2-4, 4-5, 6-6) = (-2, -1, 0), added to y
        float[] y = [10, 20, 30];
        SimdKernels.VectorMatrixAdd([2f, -1f], [1f, 2f, 3f, 4f, 5f, 6f], y);
        Assert.Equal([8f, 19f, 30f], y);
    }
}
