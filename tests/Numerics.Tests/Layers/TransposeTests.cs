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
    [InlineData(300, 24)]
    [InlineData(20, 32)]
    [InlineData(60, 32)]
    [InlineData(40, 24)]
    [InlineData(33, 50)]
    [InlineData(16, 16)]
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

    // t's rows further apart than m's row count (one step's columns of a [B, T, G] buffer): every element lands at
    // t[j tRow + i] and the gaps between t's rows are left as they were
    [Theory]
    [InlineData(3, 5, 7)]
    [InlineData(24, 16, 50)]
    [InlineData(80, 32, 4000)]
    [InlineData(17, 23, 17)]
    [InlineData(20, 4, 1000)]
    [InlineData(1, 9, 3)]
    [InlineData(264, 40, 600)]
    [InlineData(20, 32, 1000)]
    [InlineData(60, 32, 3000)]
    [InlineData(40, 24, 41)]
    public void Matrix_into_spaced_rows_moves_every_element_and_nothing_else(int rows, int cols, int tRow)
    {
        var m = new float[rows * cols];
        for (int i = 0; i < m.Length; i++) m[i] = i + 0.5f;
        var t = new float[(cols - 1) * tRow + rows + 3];
        t.AsSpan().Fill(-1f);
        Transpose.Matrix(m, rows, cols, t, tRow);
        for (int k = 0; k < t.Length; k++)
        {
            int j = k / tRow, i = k % tRow;
            float expected = j < cols && i < rows ? m[i * cols + j] : -1f;
            Assert.Equal(expected, t[k]);
        }
    }

    [Fact]
    public void Matrix_refuses_rows_closer_than_m_has_rows() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Transpose.Matrix(new float[12], 4, 3, new float[12], 3));
}
