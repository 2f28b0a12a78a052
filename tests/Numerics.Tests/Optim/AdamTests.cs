using RnnCluster.Numerics.Optim;

namespace RnnCluster.Numerics.Tests.Optim;

public class AdamTests
{
    [Fact]
    public void Adam_follows_the_reference_formula_step_by_step()
    {
        // Given gradients for 5 steps; the formula of REFERENCE evaluated in double must match to float precision.
        var settings = new AdamSettings(LearningRate: 0.01f);
        float[] p = [0.5f, -1.5f, 2f, 0f, 3e-4f];
        double[] pd = p.Select(x => (double)x).ToArray();
        double[] m = new double[p.Length], v = new double[p.Length];
        var adam = new Adam(p.Length, settings);
        var random = new Random(3);
        for (int t = 1; t <= 5; t++)
        {
            float[] g = Enumerable.Range(0, p.Length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            g[3] = 0f; // a zero gradient must leave that parameter exactly where it is on the first step
            adam.Apply(p, g);
            double b1 = 0.9, b2 = 0.999, eps = 1e-7, lr = 0.01;
            double lrT = lr * Math.Sqrt(1 - Math.Pow(b2, t)) / (1 - Math.Pow(b1, t));
            for (int i = 0; i < p.Length; i++)
            {
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                pd[i] -= lrT * m[i] / (Math.Sqrt(v[i]) + eps);
                Assert.True(Math.Abs(pd[i] - p[i]) <= 1e-6 * Math.Max(1, Math.Abs(pd[i])), $"step {t}, parameter {i}: formula {pd[i]}, Adam {p[i]}");
                Assert.Equal(m[i], adam.M[i], 6);
                Assert.Equal(v[i], adam.V[i], 6);
            }
        }
        Assert.Equal(0f, p[3]);
        Assert.Equal(5, adam.Step);
    }

    [Fact]
    public void First_step_moves_each_parameter_by_the_learning_rate_against_its_gradient_sign()
    {
        // t = 1: m = 0.1 g, v = 0.001 g^2, lr_t = lr sqrt(0.001) / 0.1, so the step is lr * g/|g| (up to eps).
        float[] p = [1f, 1f];
        new Adam(2, new AdamSettings()).Apply(p, [0.3f, -2f]);
        Assert.Equal(1f - 1e-3f, p[0], 6);
        Assert.Equal(1f + 1e-3f, p[1], 6);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(33)]
    [InlineData(256)]
    public void Vector_lanes_and_scalar_remainder_agree_bitwise(int n)
    {
        // Distinct values everywhere: each element, wherever it falls (a vector lane or the scalar remainder), must
        // come out with the bits of a one-parameter Adam, which runs the scalar path only.
        var random = new Random(n);
        var p = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var single = p.Select(_ => new Adam(1, new AdamSettings())).ToArray();
        var expected = p.Select(x => new[] { x }).ToArray();
        var adam = new Adam(n, new AdamSettings());
        for (int step = 0; step < 3; step++)
        {
            var g = Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            adam.Apply(p, g);
            for (int i = 0; i < n; i++) single[i].Apply(expected[i], [g[i]]);
        }
        for (int i = 0; i < n; i++)
        {
            Assert.Equal(BitConverter.SingleToInt32Bits(expected[i][0]), BitConverter.SingleToInt32Bits(p[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(single[i].M[0]), BitConverter.SingleToInt32Bits(adam.M[i]));
            Assert.Equal(BitConverter.SingleToInt32Bits(single[i].V[0]), BitConverter.SingleToInt32Bits(adam.V[i]));
        }
    }
}
