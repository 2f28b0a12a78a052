using RnnCluster.Numerics.Kernels;
using static RnnCluster.Numerics.Tests.Kernels.KernelData;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>Every kernel of <see cref="ConvKernels"/> equals its scalar reference in <see cref="ScalarConvKernels"/> bit for bit, at every length 0..256.</summary>
public class ConvKernelTests
{
    public static IEnumerable<object[]> Lengths => Enumerable.Range(0, 257).Select(n => new object[] { n });

    // random values with exact zeros, negative zeros and a NaN sprinkled in, for the comparisons of ReLU
    private static float[] WithSpecials(int n, int seed)
    {
        var x = Random(n, seed);
        for (int i = 0; i < n; i += 5) x[i] = 0f;
        for (int i = 2; i < n; i += 7) x[i] = -0f;
        if (n > 3) x[3] = float.NaN;
        return x;
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Relu_matches_scalar(int n)
    {
        var z = WithSpecials(n, 1);
        var expected = new float[n];
        var actual = new float[n];
        ScalarConvKernels.Relu(z, expected);
        ConvKernels.Relu(z, actual);
        AssertBitwiseEqual(expected, actual);
        // in place, as Conv1D uses it
        ConvKernels.Relu(z, z);
        AssertBitwiseEqual(expected, z);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void ReluBackward_matches_scalar(int n)
    {
        var y = WithSpecials(n, 2);
        var dy = Random(n, 3);
        var expected = new float[n];
        var actual = new float[n];
        ScalarConvKernels.ReluBackward(y, dy, expected);
        ConvKernels.ReluBackward(y, dy, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void LayerNorm_matches_scalar(int n)
    {
        var z = Random(n, 9, 6f);
        var gamma = Random(n, 10);
        var beta = Random(n, 11);
        var expectedN = new float[n];
        var expectedA = new float[n];
        var actualN = new float[n];
        var actualA = new float[n];
        ScalarConvKernels.LayerNorm(z, 0.137f, 1.731f, gamma, beta, expectedN, expectedA);
        ConvKernels.LayerNorm(z, 0.137f, 1.731f, gamma, beta, actualN, actualA);
        AssertBitwiseEqual(expectedN, actualN);
        AssertBitwiseEqual(expectedA, actualA);
        // a may be z, as LayerNormSimpleRnnCell uses it
        ConvKernels.LayerNorm(z, 0.137f, 1.731f, gamma, beta, actualN, z);
        AssertBitwiseEqual(expectedN, actualN);
        AssertBitwiseEqual(expectedA, z);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void LayerNormBackward_matches_scalar(int n)
    {
        var dn = Random(n, 12);
        var normalised = Random(n, 13, 4f);
        var expected = new float[n];
        var actual = new float[n];
        ScalarConvKernels.LayerNormBackward(dn, normalised, 0.0731f, -0.219f, 2.37f, expected);
        ConvKernels.LayerNormBackward(dn, normalised, 0.0731f, -0.219f, 2.37f, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Fact]
    public void Relu_and_its_derivative_by_hand()
    {
        float[] z = [-1f, 0f, -0f, 2f, float.NaN];
        var y = new float[5];
        ConvKernels.Relu(z, y);
        Assert.Equal([0f, 0f, 0f, 2f, 0f], y);
        Assert.All(y, v => Assert.False(float.IsNegative(v)));
        var dz = new float[5];
        ConvKernels.ReluBackward(y, [1f, 2f, 3f, 4f, 5f], dz);
        Assert.Equal([0f, 0f, 0f, 4f, 0f], dz);
    }

    [Fact]
    public void LayerNormBackward_by_hand()
    {
        // dz = (dn - m1 - n m2) rstd: (3 - 1 - 2 * 0.5) * 2 = 2
        var dz = new float[1];
        ConvKernels.LayerNormBackward([3f], [2f], 1f, 0.5f, 2f, dz);
        Assert.Equal(2f, dz[0]);
    }
}
