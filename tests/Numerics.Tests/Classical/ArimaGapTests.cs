using RnnCluster.Numerics.Classical;

namespace RnnCluster.Numerics.Tests.Classical;

/// <summary>ARIMA on a training part with gaps: the Kalman filter predicts through a missing value without an update.</summary>
public class ArimaGapTests
{
    private static double LogNormal(double x, double mean, double variance) =>
        -0.5 * (Math.Log(2 * Math.PI * variance) + (x - mean) * (x - mean) / variance);

    [Fact]
    public void An_AR1_likelihood_over_a_gap_is_the_two_step_prediction()
    {
        // y_t = 0.5 y_{t-1} + e_t, sigma2 1: y0 ~ N(0, 1 / (1 - 0.25)); over the gap at t = 1, y2 | y0 ~ N(0.25 y0, 1 + 0.25)
        var model = new Arima(new ArimaOrder(1, 0, 0), 0, [0.5], [], 1.0);
        double y0 = 0.8, y2 = -0.3;
        double expected = LogNormal(y0, 0, 1 / 0.75) + LogNormal(y2, 0.25 * y0, 1.25);
        Assert.Equal(expected, model.LogLikelihoodOf([y0, double.NaN, y2]), 12);
        Assert.Equal(model.LogLikelihoodOf([y0]), model.LogLikelihoodOf([y0, double.NaN]), 12);
    }

    [Fact]
    public void A_fit_on_a_series_with_gaps_recovers_the_coefficient_and_counts_only_the_values()
    {
        var random = new Random(7);
        var y = new double[2000];
        for (int t = 1; t < y.Length; t++)
        {
            double e = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            y[t] = 0.6 * y[t - 1] + e;
        }
        int gaps = 0;
        for (int t = 5; t < y.Length; t += 10) { y[t] = double.NaN; gaps++; }
        var fit = Arima.Fit(y, new ArimaOrder(1, 0, 0));
        Assert.InRange(fit.Ar[0], 0.5, 0.7);
        Assert.InRange(fit.Sigma2, 0.85, 1.15);
        Assert.Equal(y.Length - gaps, fit.Observations);
        Assert.True(double.IsFinite(fit.Aic));
        var selected = ArimaSelection.Select(y, d: 0, maxP: 1, maxQ: 1);
        Assert.All(selected.Candidates, c => Assert.True(double.IsFinite(c.Aic)));
    }
}
