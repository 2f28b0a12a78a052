namespace RnnCluster.Numerics.Classical;

/// <summary>
/// An ARIMA(p, d, q) model: with d = 1 the first differences w_t = y_t - y_{t-1} (d = 0: w_t = y_t) follow
/// w_t - mu = phi_1 (w_{t-1} - mu) + .. + phi_p (w_{t-p} - mu) + e_t + theta_1 e_{t-1} + .. + theta_q e_{t-q},
/// e ~ N(0, sigma2), with the constant mu (the mean) only when d = 0.
/// <para>
/// <see cref="Fit"/> maximises the exact Gaussian likelihood (Kalman filter, the ARMA part started from its stationary
/// distribution, sigma2 concentrated out), with stationarity and invertibility enforced by the transform statsmodels
/// uses; it matches statsmodels 0.13.5's <c>statsmodels.tsa.arima.model.ARIMA(y, order=(p, d, q)).fit()</c> (method
/// 'statespace', trend 'c' for d = 0 and 'n' for d = 1). statsmodels 0.13.5 has no conditional-sum-of-squares ARIMA,
/// hence exact maximum likelihood. For d = 1 the likelihood here is the exact one of the differenced series;
/// statsmodels instead keeps the level as a state with an approximate diffuse prior (variance 1e6) and leaves the first
/// value out, which moves its log-likelihood by an amount growing with the series' level (under 1e-3 on the CO2
/// series) and its coefficients by far less than 1e-4.
/// </para>
/// <para>
/// The fit starts the optimiser (<see cref="Bfgs"/>, on the standardised values) from white noise and from the
/// Hannan-Rissanen estimates, and keeps the better optimum.
/// </para>
/// <para>
/// <see cref="Forecast(ReadOnlySpan{double}, Span{double})"/> conditions on a window's values only: they are
/// differenced d times and filtered from the stationary distribution (no pre-sample shock is set to zero: the
/// filter integrates them out), as statsmodels' <c>results.apply(window).forecast(h)</c> does.
/// </para>
/// </summary>
public sealed class Arima
{
    private readonly double[] _ar;
    private readonly double[] _ma;

    /// <summary>A model with given parameters (for example from another fit): <paramref name="ar"/> [p], <paramref name="ma"/> [q].</summary>
    /// <param name="constant">mu, the mean of the (undifferenced) series; must be 0 when d = 1.</param>
    public Arima(ArimaOrder order, double constant, double[] ar, double[] ma, double sigma2)
    {
        order.Validate();
        ArgumentNullException.ThrowIfNull(ar);
        ArgumentNullException.ThrowIfNull(ma);
        if (ar.Length != order.P) throw new ArgumentException($"{ar.Length} AR coefficients for order {order}", nameof(ar));
        if (ma.Length != order.Q) throw new ArgumentException($"{ma.Length} MA coefficients for order {order}", nameof(ma));
        if (!order.HasConstant && constant != 0) throw new ArgumentException($"order {order} has no constant", nameof(constant));
        Order = order;
        Constant = constant;
        _ar = (double[])ar.Clone();
        _ma = (double[])ma.Clone();
        Sigma2 = sigma2;
    }

    public ArimaOrder Order { get; }

    /// <summary>mu: the mean when d = 0; 0 when d = 1.</summary>
    public double Constant { get; }

    /// <summary>[p] phi_1 .. phi_p.</summary>
    public IReadOnlyList<double> Ar => _ar;

    /// <summary>[q] theta_1 .. theta_q.</summary>
    public IReadOnlyList<double> Ma => _ma;

    /// <summary>The variance of the shocks e_t.</summary>
    public double Sigma2 { get; }

    /// <summary>The maximised log-likelihood of the (differenced) training values; NaN for a model not fitted here.</summary>
    public double LogLikelihood { get; private init; } = double.NaN;

    /// <summary>Values the likelihood covers: the training length minus d, minus gaps (0 for a model not fitted here).</summary>
    public int Observations { get; private init; }

    /// <summary>Whether the optimiser stopped at a point where the gradient vanishes (or no further decrease was found).</summary>
    public bool Converged { get; private init; }

    /// <summary>Akaike's criterion as statsmodels computes it: -2 log-likelihood + 2 (constant + p + q + 1 for sigma2).</summary>
    public double Aic => -2 * LogLikelihood + 2 * Order.ParameterCount;

    /// <summary>
    /// Fits the model to <paramref name="train"/> [n] (the training part of a series) by exact maximum likelihood. Gaps
    /// (NaN) are missing observations: the Kalman filter predicts through them without an update and the likelihood
    /// covers the other values (<see cref="Observations"/>), as statsmodels does with NaN; with gaps the optimiser starts
    /// from white noise only.
    /// </summary>
    public static Arima Fit(ReadOnlySpan<double> train, ArimaOrder order)
    {
        order.Validate();
        double[] w = order.D == 1 ? Difference(train) : train.ToArray();
        foreach (double v in w)
            if (double.IsInfinity(v)) throw new InvalidInputException("arima", "the training values must be finite numbers (or gaps)");
        // gaps (NaN; a difference with a gap among its operands is one) are missing observations: the filter skips them
        var observed = w.Where(v => !double.IsNaN(v)).ToArray();
        int n = observed.Length;
        int k = (order.HasConstant ? 1 : 0) + order.P + order.Q;
        if (n < k + 2)
            throw new InvalidInputException("arima", $"order {order} needs at least {k + 2 + order.D} training values (not gaps), got {train.Length - (w.Length - n)}");

        // The optimiser works on z = (w - center) / scale, so that every variable is of order 1.
        double center = order.HasConstant ? observed.Average() : 0;
        double scale = Math.Sqrt(observed.Sum(v => (v - center) * (v - center)) / n);
        if (!(scale > 0) || !double.IsFinite(scale)) scale = 1;
        var z = w.Select(v => (v - center) / scale).ToArray();

        int p = order.P, q = order.Q, c = order.HasConstant ? 1 : 0;
        var ar = new double[p];
        var ma = new double[q];
        // x = [mu_z (when d = 0), unconstrained AR [p], unconstrained MA [q]] -> -log-likelihood / n
        double Objective(double[] x)
        {
            Unpack(x, c, ar, ma);
            return -ArmaKalman.ConcentratedLogLikelihood(z, c == 1 ? x[0] : 0, ar, ma, out _) / n;
        }
        // Two starts, the better optimum kept: all zeros (white noise), and the Hannan-Rissanen estimates when they
        // are stationary and invertible (an ARMA likelihood can have several local optima).
        var best = Bfgs.Minimise(Objective, new double[k]);
        // Hannan-Rissanen's regressions need every value: with gaps, white noise is the only start
        if (n == w.Length && HannanRissanenStart(z, order, c) is { } start)
        {
            var second = Bfgs.Minimise(Objective, start);
            if (second.Value < best.Value) best = second;
        }

        Unpack(best.X, c, ar, ma);
        double mean = c == 1 ? best.X[0] : 0;
        double llf = ArmaKalman.ConcentratedLogLikelihood(z, mean, ar, ma, out double sigma2);
        return new Arima(order, order.HasConstant ? center + scale * mean : 0, ar, ma, sigma2 * scale * scale)
        {
            LogLikelihood = llf - n * Math.Log(scale),
            Observations = n,
            Converged = best.Converged,
        };
    }

    /// <summary>
    /// The exact log-likelihood of <paramref name="series"/> [n] under this model's parameters (of its d-times
    /// differenced values, as <see cref="LogLikelihood"/> is of the training values').
    /// </summary>
    public double LogLikelihoodOf(ReadOnlySpan<double> series)
    {
        double[] w = Order.D == 1 ? Difference(series) : series.ToArray();
        return ArmaKalman.LogLikelihood(w, Constant, _ar, _ma, Sigma2);
    }

    /// <summary>The forecast of the h = forecast.Length values after <paramref name="window"/> [length >= 1], conditioned on the window only.</summary>
    public void Forecast(ReadOnlySpan<double> window, Span<double> forecast)
    {
        if (window.Length < 1) throw new ArgumentException("the window holds no value", nameof(window));
        if (Order.D == 0)
        {
            ArmaKalman.Forecast(window.ToArray().Select(v => v - Constant).ToArray(), _ar, _ma, forecast);
            for (int k = 0; k < forecast.Length; k++) forecast[k] += Constant;
            return;
        }
        ArmaKalman.Forecast(Difference(window), _ar, _ma, forecast);
        double level = window[^1];
        for (int k = 0; k < forecast.Length; k++) forecast[k] = level += forecast[k];
    }

    /// <summary>The forecast of the next <paramref name="horizon"/> values after <paramref name="window"/>: [horizon].</summary>
    public double[] Forecast(ReadOnlySpan<double> window, int horizon)
    {
        var forecast = new double[horizon];
        Forecast(window, forecast);
        return forecast;
    }

    public override string ToString() =>
        $"ARIMA{Order}: mu {Constant:G6}, phi [{string.Join(", ", _ar.Select(v => v.ToString("G6")))}], theta [{string.Join(", ", _ma.Select(v => v.ToString("G6")))}], sigma2 {Sigma2:G6}, AIC {Aic:F2}";

    // z [n] -> x [c + p + q] unconstrained, or null when the estimates are not stationary and invertible
    private static double[]? HannanRissanenStart(double[] z, ArimaOrder order, int c)
    {
        if (HannanRissanen.Estimate(z, order.P, order.Q) is not { } estimate) return null;
        var (ar, ma) = estimate;
        var x = new double[c + order.P + order.Q];
        StationaryTransform.Unconstrain(ar, x.AsSpan(c, order.P));
        StationaryTransform.Unconstrain(ma.Select(v => -v).ToArray(), x.AsSpan(c + order.P, order.Q));
        return x.All(double.IsFinite) ? x : null;
    }

    // x: [c, p, q] unconstrained -> phi [p], theta [q] (stationary, invertible)
    private static void Unpack(double[] x, int c, double[] ar, double[] ma)
    {
        StationaryTransform.Constrain(x.AsSpan(c, ar.Length), ar);
        StationaryTransform.Constrain(x.AsSpan(c + ar.Length, ma.Length), ma);
        for (int j = 0; j < ma.Length; j++) ma[j] = -ma[j];
    }

    // [n] -> [n - 1] first differences
    private static double[] Difference(ReadOnlySpan<double> y)
    {
        var d = new double[Math.Max(0, y.Length - 1)];
        for (int t = 1; t < y.Length; t++) d[t - 1] = y[t] - y[t - 1];
        return d;
    }
}
