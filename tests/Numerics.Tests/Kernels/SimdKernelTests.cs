using RnnCluster.Numerics.Kernels;
using static RnnCluster.Numerics.Tests.Kernels.KernelData;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>Every SIMD kernel equals its scalar reference bit for bit, at every length 0..256.</summary>
public class SimdKernelTests
{
    public static IEnumerable<object[]> Lengths => Enumerable.Range(0, 257).Select(n => new object[] { n });

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
    public void AddRows_matches_scalar_adds_row_by_row(int n)
    {
        const int count = 7, stride = 300; // rows of n <= 256 from a [count, 300] array, forwards and backwards
        var rows = Random(count * stride, 11);
        var start = Random(n, 12);
        foreach (var (first, step) in new[] { (0, stride), ((count - 1) * stride, -stride) })
        {
            var expected = (float[])start.Clone();
            for (int k = 0; k < count; k++) ScalarKernels.Add(rows.AsSpan(first + k * step, n), expected);
            var actual = (float[])start.Clone();
            SimdKernels.AddRows(rows, first, step, count, actual);
            AssertBitwiseEqual(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AddRowGroups_matches_scalar_adds_group_after_group(int n)
    {
        // 3 groups of 5 rows of n <= 256, as a bias gradient reads a step-major copy: groups 300 apart, a group's rows
        // 900 apart, last row first (and the groups backwards too)
        const int groups = 3, count = 5, groupStride = 300, stride = 900;
        var rows = Random(count * stride, 15);
        var start = Random(n, 16);
        foreach (var (first, step, groupStep) in new[] { ((count - 1) * stride, -stride, groupStride), ((count - 1) * stride + 2 * groupStride, -stride, -groupStride) })
        {
            var expected = (float[])start.Clone();
            for (int g = 0; g < groups; g++)
                for (int k = 0; k < count; k++) ScalarKernels.Add(rows.AsSpan(first + g * groupStep + k * step, n), expected);
            var actual = (float[])start.Clone();
            SimdKernels.AddRowGroups(rows, first, step, count, groupStep, groups, actual);
            AssertBitwiseEqual(expected, actual);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void FillRows_fills_each_row_with_its_value_and_nothing_past_them(int n)
    {
        var values = Random(5, 13);
        var actual = Random(5 * n + 3, 14);
        var expected = (float[])actual.Clone();
        for (int i = 0; i < 5; i++) Array.Fill(expected, values[i], i * n, n);
        SimdKernels.FillRows(values, actual, n);
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
        var z = Random(n, 6, 24f);   // [-12, 12]: past the rational function's clamp at 8 too
        var expected = new float[n];
        var actual = new float[n];
        ScalarKernels.Tanh(z, expected);
        SimdKernels.Tanh(z, actual);
        AssertBitwiseEqual(expected, actual);
        SimdKernels.Tanh(z, z);      // in place, as the layers call it
        AssertBitwiseEqual(expected, z);
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
    public void AddTanhBackward_matches_scalar_add_then_tanh_backward(int n)
    {
        var h = Random(n, 17);
        var dh = Random(n, 18);
        var dOutput = Random(n, 19);
        var sum = (float[])dh.Clone();
        ScalarKernels.Add(dOutput, sum);
        var expected = new float[n];
        ScalarKernels.TanhBackward(h, sum, expected);
        var actual = new float[n];
        SimdKernels.AddTanhBackward(h, dh, dOutput, actual);
        AssertBitwiseEqual(expected, actual);
    }

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
        ScalarKernels.Relu(z, expected);
        SimdKernels.Relu(z, actual);
        AssertBitwiseEqual(expected, actual);
        // in place, as Conv1D uses it
        SimdKernels.Relu(z, z);
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
        ScalarKernels.ReluBackward(y, dy, expected);
        SimdKernels.ReluBackward(y, dy, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Fact]
    public void Relu_and_its_derivative_by_hand()
    {
        float[] z = [-1f, 0f, -0f, 2f, float.NaN];
        var y = new float[5];
        SimdKernels.Relu(z, y);
        Assert.Equal([0f, 0f, 0f, 2f, 0f], y);
        Assert.All(y, v => Assert.False(float.IsNegative(v)));
        var dz = new float[5];
        SimdKernels.ReluBackward(y, [1f, 2f, 3f, 4f, 5f], dz);
        Assert.Equal([0f, 0f, 0f, 4f, 0f], dz);
    }
}
