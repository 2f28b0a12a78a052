namespace RnnCluster.Numerics.Classical;

/// <summary>
/// Starting values for an ARMA(p, q) fit by the Hannan-Rissanen regressions: a long AR(m) fitted by least squares
/// gives residuals e_t; then z_t is regressed on z_{t-1} .. z_{t-p} and e_{t-1} .. e_{t-q}. For q = 0 it is the
/// conditional least-squares AR(p) fit itself. m = max(p, q) + 10, at most a quarter of the values.
/// </summary>
internal static class HannanRissanen
{
    /// <param name="z">[n] zero-mean values.</param>
    /// <returns>phi [p] and theta [q], or null when there are too few values.</returns>
    public static (double[] Ar, double[] Ma)? Estimate(ReadOnlySpan<double> z, int p, int q)
    {
        int n = z.Length;
        if (p + q == 0) return ([], []);
        var e = new double[n]; // residuals of the long AR, 0 before m
        int start = 0;
        if (q > 0)
        {
            int m = Math.Min(Math.Max(p, q) + 10, n / 4);
            if (m < 1) return null;
            var longAr = Regress(z, e, m, 0, m);
            if (longAr is null) return null;
            for (int t = m; t < n; t++)
            {
                double fitted = 0;
                for (int i = 0; i < m; i++) fitted += longAr[i] * z[t - i - 1];
                e[t] = z[t] - fitted;
            }
            start = m;
        }
        var coefficients = Regress(z, e, p, q, start + Math.Max(p, q));
        if (coefficients is null) return null;
        return (coefficients[..p], coefficients[p..]);
    }

    // least squares of z_t on z_{t-1..t-p}, e_{t-1..t-q} over t = first .. n - 1: [p + q], or null with too few rows
    private static double[]? Regress(ReadOnlySpan<double> z, double[] e, int p, int q, int first)
    {
        int k = p + q, rows = z.Length - first;
        if (rows < 2 * k + 1) return null;
        var x = new double[rows * k]; // [rows, k]
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            int t = first + r;
            y[r] = z[t];
            for (int i = 0; i < p; i++) x[r * k + i] = z[t - i - 1];
            for (int j = 0; j < q; j++) x[r * k + p + j] = e[t - j - 1];
        }
        return LinearSystem.LeastSquares(x, y, k);
    }
}
