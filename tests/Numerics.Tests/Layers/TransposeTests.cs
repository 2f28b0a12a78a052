using RnnCluster.Numerics.Layers;

namespace RnnCluster.Numerics.Tests.Layers;

/// <summary>Transpose: the tiled copy against the definition, for shapes with and without whole 8 x 8 tiles.</summary>
public class TransposeTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 5)]
    [InlineData(8, 8)]
    [InlineData(32, 1000)]
    [InlineData(1000, 32)]
    [InlineData(17, 23)]
    [InlineData(4, 60)]
    [InlineData(60, 4)]
    [InlineData(16, 9)]
    [InlineData(12, 22)]
    [InlineData(21, 14)]
    [InlineData(80, 8)]
    public void Matrix_moves_every_element(int rows, int cols)
    {
        var m = new float[rows * cols];
        for (int i = 0; i < m.Length; i++) m[i] = i + 0.5f;
        var t = new float[rows * cols + 3];
        t.AsSpan().Fill(-1f);
        Transpose.Matrix(m, rows, cols, t);
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                Assert.Equal(m[i * cols + j], t[j * rows + i]);
        Assert.Equal([-1f, -1f, -1f], t[(rows * cols)..]);
    }
}
