using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Layers;

namespace RnnCluster.Numerics.Tests.Layers;

public class InitialiserTests
{
    [Fact]
    public void Glorot_uniform_stays_within_its_limit_and_has_its_variance()
    {
        // U(-l, l) with l = sqrt(6 / (fan_in + fan_out)) has variance l^2 / 3 = 2 / (fan_in + fan_out).
        var w = new float[100 * 60];
        Initialisers.GlorotUniform(w, 100, 60, new NumpyRandomState(1));
        double limit = Math.Sqrt(6.0 / 160);
        Assert.All(w, x => Assert.InRange(x, -limit, limit));
        double variance = w.Select(x => (double)x * x).Average();
        Assert.InRange(variance, 0.95 * 2.0 / 160, 1.05 * 2.0 / 160);
    }

    [Theory]
    [InlineData(20, 20)]
    [InlineData(20, 60)]
    [InlineData(60, 20)]
    [InlineData(1, 1)]
    public void Orthogonal_has_orthonormal_rows_or_columns(int rows, int cols)
    {
        var w = new float[rows * cols];
        Initialisers.Orthogonal(w, rows, cols, new NumpyRandomState(7));
        // rows <= cols: W W^T = I (rows orthonormal); rows > cols: W^T W = I.
        int n = Math.Min(rows, cols);
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                double dot = 0;
                if (rows <= cols) for (int k = 0; k < cols; k++) dot += (double)w[a * cols + k] * w[b * cols + k];
                else for (int k = 0; k < rows; k++) dot += (double)w[k * cols + a] * w[k * cols + b];
                Assert.Equal(a == b ? 1.0 : 0.0, dot, 5);
            }
    }

    [Fact]
    public void A_seed_fixes_the_initial_weights()
    {
        var a = new float[400];
        var b = new float[400];
        var c = new float[400];
        Initialisers.Orthogonal(a, 20, 20, new NumpyRandomState(3));
        Initialisers.Orthogonal(b, 20, 20, new NumpyRandomState(3));
        Initialisers.Orthogonal(c, 20, 20, new NumpyRandomState(4));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
