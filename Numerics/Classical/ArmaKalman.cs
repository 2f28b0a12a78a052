namespace RnnCluster.Numerics.Classical;

/// <summary>
/// The exact Gaussian likelihood and forecasts of a zero-mean ARMA(p, q) process by the Kalman filter, in Harvey's
/// state-space form: state a_t of r = max(p, q + 1) values, y_t = a_t[0],
/// a_{t+1} = T a_t + R e_{t+1} with T's first column (phi_1 .. phi_r, zeros past p) and ones on its superdiagonal,
/// R = (1, theta_1 .. theta_{r-1}), e ~ N(0, sigma2). The first state is drawn from the stationary distribution
/// (mean 0, covariance P solving P = T P T' + R R' sigma2), so the history's first value is not treated as known and
/// no residual is set to zero: every pre-sample shock is integrated out. Forecasts are the conditional expectations
/// given the values filtered. A missing value (NaN, a gap) is not observed: the filter skips its update and only
/// predicts through it, and it adds nothing to the likelihood (as statsmodels' state-space models treat NaN).
/// </summary>
internal static class ArmaKalman
{
    /// <summary>
    /// The log-likelihood of <paramref name="z"/> with sigma2 concentrated out (its maximum-likelihood value
    /// sum(v_t^2 / F_t) / n, returned in <paramref name="sigma2"/>):
    /// -n/2 (log 2 pi + 1 + log sigma2) - 1/2 sum log F_t, with v_t the one-step prediction errors and F_t their variances / sigma2.
    /// </summary>
    /// <param name="z">[n] values of the process plus <paramref name="mean"/>; NaN where missing (n counts the others).</param>
    /// <param name="mean">The process mean, subtracted from every value.</param>
    /// <param name="ar">[p] phi.</param>
    /// <param name="ma">[q] theta.</param>
    public static double ConcentratedLogLikelihood(ReadOnlySpan<double> z, double mean, ReadOnlySpan<double> ar, ReadOnlySpan<double> ma, out double sigma2)
    {
        int n = 0;
        var filter = new Filter(ar, ma);
        double squares = 0, logF = 0;
        foreach (double value in z)
        {
            (double v, double f) = filter.Step(value - mean);
            if (double.IsNaN(value)) continue; // a gap: nothing observed
            squares += v * v / f;
            logF += Math.Log(f);
            n++;
        }
        sigma2 = n > 0 ? squares / n : double.NaN;
        if (n == 0) return 0;
        return -0.5 * n * (Math.Log(2 * Math.PI) + 1 + Math.Log(sigma2)) - 0.5 * logF;
    }

    /// <summary>The exact log-likelihood of <paramref name="z"/> [n] given sigma2 too: -1/2 sum (log 2 pi sigma2 F_t + v_t^2 / (sigma2 F_t)).</summary>
    public static double LogLikelihood(ReadOnlySpan<double> z, double mean, ReadOnlySpan<double> ar, ReadOnlySpan<double> ma, double sigma2)
    {
        var filter = new Filter(ar, ma);
        double sum = 0;
        foreach (double value in z)
        {
            (double v, double f) = filter.Step(value - mean);
            if (double.IsNaN(value)) continue;
            sum += Math.Log(2 * Math.PI * sigma2 * f) + v * v / (sigma2 * f);
        }
        return -0.5 * sum;
    }

    /// <summary>Filters <paramref name="z"/> (may be empty) and writes the forecasts of the next forecast.Length values.</summary>
    public static void Forecast(ReadOnlySpan<double> z, ReadOnlySpan<double> ar, ReadOnlySpan<double> ma, Span<double> forecast)
    {
        var filter = new Filter(ar, ma);
        foreach (double value in z) filter.Step(value);
        filter.Forecast(forecast);
    }

    /// <summary>The filter's state: predicted mean a [r] and covariance P [r, r] (in units of sigma2).</summary>
    private sealed class Filter
    {
        private readonly int _r;
        private readonly double[] _phi;  // [r] first column of T
        private readonly double[] _rr;   // [r, r] R R'
        private readonly double[] _a;    // [r]
        private readonly double[] _p;    // [r, r]
        private readonly double[] _tp;   // [r, r] scratch

        public Filter(ReadOnlySpan<double> ar, ReadOnlySpan<double> ma)
        {
            int r = Math.Max(ar.Length, ma.Length + 1);
            _r = r;
            _phi = new double[r];
            ar.CopyTo(_phi);
            var rVector = new double[r];
            rVector[0] = 1;
            ma.CopyTo(rVector.AsSpan(1));
            _rr = new double[r * r];
            for (int i = 0; i < r; i++)
                for (int j = 0; j < r; j++) _rr[i * r + j] = rVector[i] * rVector[j];
            _a = new double[r];
            _p = StationaryCovariance(_phi, _rr, r);
            _tp = new double[r * r];
        }

        // observes y_t: returns the prediction error v and its variance F (in units of sigma2), then predicts t + 1;
        // y_t NaN (missing): no update, v NaN, and the prediction goes on from the state predicted for t
        public (double V, double F) Step(double y)
        {
            int r = _r;
            double v = y - _a[0];
            double f = _p[0];
            if (double.IsNaN(y))
            {
                Advance(_a);
                TransitionCovariance();
                return (v, f);
            }
            // update: a += P[:,0] v / F; P -= P[:,0] P[0,:] / F
            for (int i = 0; i < r; i++) _a[i] += _p[i * r] * v / f;
            for (int i = 0; i < r; i++)
            {
                double pi0 = _p[i * r];
                for (int j = 0; j < r; j++) _tp[i * r + j] = _p[i * r + j] - pi0 * _p[j] / f;
            }
            _tp.CopyTo(_p, 0);
            // predict: a = T a; P = T P T' + R R'
            Advance(_a);
            TransitionCovariance();
            return (v, f);
        }

        public void Forecast(Span<double> forecast)
        {
            var a = (double[])_a.Clone();
            for (int k = 0; k < forecast.Length; k++)
            {
                forecast[k] = a[0];
                Advance(a);
            }
        }

        // a [r] <- T a: (T a)_i = phi_i a_0 + a_{i+1}
        private void Advance(double[] a)
        {
            double a0 = a[0];
            for (int i = 0; i < _r - 1; i++) a[i] = _phi[i] * a0 + a[i + 1];
            a[_r - 1] = _phi[_r - 1] * a0;
        }

        // P [r, r] <- T P T' + R R'
        private void TransitionCovariance()
        {
            int r = _r;
            // (T P)_{ij} = phi_i P_{0j} + P_{i+1,j}
            for (int i = 0; i < r; i++)
                for (int j = 0; j < r; j++) _tp[i * r + j] = _phi[i] * _p[j] + (i + 1 < r ? _p[(i + 1) * r + j] : 0);
            // ((T P) T')_{ij} = (T P)_{i0} phi_j + (T P)_{i,j+1}
            for (int i = 0; i < r; i++)
                for (int j = 0; j < r; j++)
                    _p[i * r + j] = _tp[i * r] * _phi[j] + (j + 1 < r ? _tp[i * r + j + 1] : 0) + _rr[i * r + j];
        }
    }

    /// <summary>P [r, r] solving P = T P T' + Q (discrete Lyapunov equation) through (I - T (x) T) vec P = vec Q.</summary>
    internal static double[] StationaryCovariance(double[] phi, double[] q, int r)
    {
        var t = new double[r * r]; // [r, r] T
        for (int i = 0; i < r; i++)
        {
            t[i * r] = phi[i];
            if (i + 1 < r) t[i * r + i + 1] = 1;
        }
        int m = r * r;
        var a = new double[m * m]; // [m, m]: row (i, j), column (k, l): delta - T_ik T_jl
        var b = (double[])q.Clone();
        for (int i = 0; i < r; i++)
            for (int j = 0; j < r; j++)
                for (int k = 0; k < r; k++)
                    for (int l = 0; l < r; l++)
                    {
                        int row = i * r + j, column = k * r + l;
                        a[row * m + column] = (row == column ? 1 : 0) - t[i * r + k] * t[j * r + l];
                    }
        LinearSystem.Solve(a, b, m);
        // symmetrise against rounding
        for (int i = 0; i < r; i++)
            for (int j = i + 1; j < r; j++)
            {
                double mean = 0.5 * (b[i * r + j] + b[j * r + i]);
                b[i * r + j] = b[j * r + i] = mean;
            }
        return b;
    }
}
