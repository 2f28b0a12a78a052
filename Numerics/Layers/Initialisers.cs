using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// Keras's initialisers, drawing from one <see cref="NumpyRandomState"/> in a fixed order, so a seed fixes the
/// initial weights of a whole model.
/// </summary>
public static class Initialisers
{
    /// <summary>glorot_uniform: U(-limit, limit) with limit = sqrt(6 / (fanIn + fanOut)).</summary>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, NumpyRandomState random)
    {
        double limit = Math.Sqrt(6.0 / (fanIn + fanOut));
        for (int i = 0; i < weights.Length; i++) weights[i] = (float)(random.NextDouble() * 2.0 * limit - limit);
    }

    /// <summary>
    /// orthogonal (gain 1) over a [rows, cols] matrix, as Keras does it: draw a normal matrix of shape
    /// [max(rows, cols), min(rows, cols)], take Q of its QR decomposition with R's diagonal made positive,
    /// and transpose Q when rows &lt; cols. Rows (or columns, whichever are fewer) come out orthonormal.
    /// </summary>
    public static void Orthogonal(Span<float> weights, int rows, int cols, NumpyRandomState random)
    {
        if (weights.Length != rows * cols) throw new ArgumentException($"expected {rows} x {cols} weights", nameof(weights));
        int m = Math.Max(rows, cols), n = Math.Min(rows, cols);
        // a: [m, n], column-major here (column k at a[k*m ..]) for the Gram-Schmidt below; drawn row-major as numpy would.
        var a = new double[m * n];
        for (int r = 0; r < m; r++)
            for (int c = 0; c < n; c++)
                a[c * m + r] = random.NextGaussian();
        // Modified Gram-Schmidt, twice for accuracy: Q's columns with a positive R diagonal, which is Keras's
        // q * sign(diag(r)).
        for (int c = 0; c < n; c++)
        {
            var col = a.AsSpan(c * m, m);
            for (int pass = 0; pass < 2; pass++)
                for (int k = 0; k < c; k++)
                {
                    var q = a.AsSpan(k * m, m);
                    double dot = 0;
                    for (int r = 0; r < m; r++) dot += q[r] * col[r];
                    for (int r = 0; r < m; r++) col[r] -= dot * q[r];
                }
            double norm = 0;
            for (int r = 0; r < m; r++) norm += col[r] * col[r];
            norm = Math.Sqrt(norm);
            for (int r = 0; r < m; r++) col[r] /= norm;
        }
        // Q is [m, n]. rows >= cols: weights = Q ([rows, cols]); rows < cols: weights = Q^T ([n, m] = [rows, cols]).
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++)
                weights[i * cols + j] = (float)(rows >= cols ? a[j * m + i] : a[i * m + j]);
    }

    public static void Constant(Span<float> weights, float value) => weights.Fill(value);
}
