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

}
