namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>Inputs and the bit-for-bit comparison the kernel tests share.</summary>
internal static class KernelData
{
    // n values uniform in [offset - scale/2, offset + scale/2)
    public static float[] Random(int n, int seed, float scale = 2f, float offset = 0f)
    {
        var random = new System.Random(seed);
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(random.NextDouble() - 0.5) * scale + offset;
        return x;
    }

    public static void AssertBitwiseEqual(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
                Assert.Fail($"element {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
    }
}
