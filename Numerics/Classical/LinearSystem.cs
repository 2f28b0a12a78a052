namespace RnnCluster.Numerics.Classical;

/// <summary>Small dense linear systems and least squares, in double.</summary>
internal static class LinearSystem
{
    /// <summary>a [m, m] x = b [m] by Gaussian elimination with partial pivoting, in place: b receives x, a is overwritten.</summary>
    public static void Solve(double[] a, double[] b, int m)
    {
        for (int c = 0; c < m; c++)
        {
            int pivot = c;
            for (int row = c + 1; row < m; row++)
                if (Math.Abs(a[row * m + c]) > Math.Abs(a[pivot * m + c])) pivot = row;
            if (pivot != c)
            {
                for (int k = 0; k < m; k++) (a[c * m + k], a[pivot * m + k]) = (a[pivot * m + k], a[c * m + k]);
                (b[c], b[pivot]) = (b[pivot], b[c]);
            }
            double diagonal = a[c * m + c];
            for (int row = c + 1; row < m; row++)
            {
                double factor = a[row * m + c] / diagonal;
                if (factor == 0) continue;
                for (int k = c; k < m; k++) a[row * m + k] -= factor * a[c * m + k];
                b[row] -= factor * b[c];
            }
        }
        for (int c = m - 1; c >= 0; c--)
        {
            double sum = b[c];
            for (int k = c + 1; k < m; k++) sum -= a[c * m + k] * b[k];
            b[c] = sum / a[c * m + c];
        }
    }

    /// <summary>
    /// Least squares coefficients b [k] minimising sum_i (y_i - x_i . b)^2 through the normal equations, with a
    /// ridge of 1e-10 times the mean diagonal against exact collinearity.
    /// </summary>
    /// <param name="x">[rows, k] regressors.</param>
    /// <param name="y">[rows] targets.</param>
    public static double[] LeastSquares(double[] x, double[] y, int k)
    {
        int rows = y.Length;
        var a = new double[k * k];
        var b = new double[k];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < k; j++)
            {
                double xij = x[i * k + j];
                b[j] += xij * y[i];
                for (int l = 0; l < k; l++) a[j * k + l] += xij * x[i * k + l];
            }
        double trace = 0;
        for (int j = 0; j < k; j++) trace += a[j * k + j];
        for (int j = 0; j < k; j++) a[j * k + j] += 1e-10 * (trace / k + 1e-300);
        Solve(a, b, k);
        return b;
    }
}
