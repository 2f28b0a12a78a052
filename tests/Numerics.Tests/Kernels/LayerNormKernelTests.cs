using RnnCluster.Numerics.Kernels;
using static RnnCluster.Numerics.Tests.Kernels.KernelData;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>
/// The kernels of <see cref="LayerNormKernels"/>, as <see cref="RnnCluster.Numerics.Layers.Cells.LayerNormSimpleRnnCell"/> calls them (one
/// unit over the block's samples, each sample's own mean and rstd), equal their scalar references in
/// <see cref="ScalarLayerNormKernels"/> bit for bit at every length 0..256, in place too.
/// </summary>
public class LayerNormKernelTests
{
    public static IEnumerable<object[]> Lengths => Enumerable.Range(0, 257).Select(n => new object[] { n });

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Forward_matches_scalar(int n)
    {
        var z = Random(n, 9, 6f);
        var mean = Random(n, 10, 0.5f);
        var rstd = Random(n, 11, 2f, 0.5f);
        var expectedN = new float[n];
        var expectedA = new float[n];
        var actualN = new float[n];
        var actualA = new float[n];
        ScalarLayerNormKernels.Forward(z, mean, rstd, 1.37f, -0.21f, expectedN, expectedA);
        LayerNormKernels.Forward(z, mean, rstd, 1.37f, -0.21f, actualN, actualA);
        AssertBitwiseEqual(expectedN, actualN);
        AssertBitwiseEqual(expectedA, actualA);
        // a may be z, as the cell uses it
        LayerNormKernels.Forward(z, mean, rstd, 1.37f, -0.21f, actualN, z);
        AssertBitwiseEqual(expectedN, actualN);
        AssertBitwiseEqual(expectedA, z);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Backward_matches_scalar(int n)
    {
        var dn = Random(n, 12);
        var normalised = Random(n, 13, 4f);
        var meanDn = Random(n, 14, 0.2f);
        var meanDnN = Random(n, 15, 0.6f);
        var rstd = Random(n, 16, 3f, 0.5f);
        var expected = new float[n];
        var actual = new float[n];
        ScalarLayerNormKernels.Backward(dn, normalised, meanDn, meanDnN, rstd, expected);
        LayerNormKernels.Backward(dn, normalised, meanDn, meanDnN, rstd, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Fact]
    public void Both_by_hand()
    {
        // normalised = (z - mean) rstd: (5 - 1) * 0.5 = 2; a = 2 * 3 + 1 = 7
        float[] normalised = new float[1], a = new float[1];
        LayerNormKernels.Forward([5f], [1f], [0.5f], 3f, 1f, normalised, a);
        Assert.Equal(2f, normalised[0]);
        Assert.Equal(7f, a[0]);
        // dz = (dn - m1 - n m2) rstd: (3 - 1 - 2 * 0.5) * 2 = 2
        var dz = new float[1];
        LayerNormKernels.Backward([3f], [2f], [1f], [0.5f], [2f], dz);
        Assert.Equal(2f, dz[0]);
    }
}
