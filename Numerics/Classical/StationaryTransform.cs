namespace RnnCluster.Numerics.Classical;

/// <summary>
/// Maps unconstrained reals to the coefficients of a stationary autoregressive polynomial and back (Monahan 1984, as
/// statsmodels' constrain_stationary_univariate): r_k = u_k / sqrt(1 + u_k^2) are partial autocorrelations in (-1, 1),
/// turned into coefficients by the Durbin-Levinson recursion. An AR part uses the result as phi, an MA part its
/// negation as theta (then 1 + theta_1 B + .. is invertible), so the optimiser searches freely over the reals.
/// </summary>
internal static class StationaryTransform
{
    // unconstrained [n] -> constrained [n]
    public static void Constrain(ReadOnlySpan<double> unconstrained, Span<double> constrained)
    {
        int n = unconstrained.Length;
        if (n == 0) return;
        Span<double> previous = stackalloc double[n];
        Span<double> current = stackalloc double[n];
        for (int k = 0; k < n; k++)
        {
            double r = unconstrained[k] / Math.Sqrt(1 + unconstrained[k] * unconstrained[k]);
            for (int i = 0; i < k; i++) current[i] = previous[i] + r * previous[k - i - 1];
            current[k] = r;
            current[..(k + 1)].CopyTo(previous);
        }
        for (int i = 0; i < n; i++) constrained[i] = -previous[i];
    }

    // constrained [n] (inside the stationary region) -> unconstrained [n]
    public static void Unconstrain(ReadOnlySpan<double> constrained, Span<double> unconstrained)
    {
        int n = constrained.Length;
        if (n == 0) return;
        var y = new double[n];
        for (int i = 0; i < n; i++) y[i] = -constrained[i];
        var below = new double[n];
        var r = new double[n];
        for (int k = n - 1; k >= 0; k--)
        {
            r[k] = y[k];
            double denominator = 1 - y[k] * y[k];
            for (int i = 0; i < k; i++) below[i] = (y[i] - y[k] * y[k - i - 1]) / denominator;
            Array.Copy(below, y, k);
        }
        for (int k = 0; k < n; k++) unconstrained[k] = r[k] / Math.Sqrt(1 - r[k] * r[k]);
    }
}
