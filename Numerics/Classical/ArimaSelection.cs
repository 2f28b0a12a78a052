namespace RnnCluster.Numerics.Classical;

/// <summary>
/// ARIMA order selection by AIC over a small grid: every (p, d, q) with p 0..maxP, d in the given set, q 0..maxQ is
/// fitted to the training values (<see cref="Arima.Fit"/>) and the smallest AIC wins (the first in p, d, q order on a
/// tie). As statsmodels users commonly do, AICs of d = 0 and d = 1 models are compared as they are, although the
/// d = 1 likelihood covers one value fewer.
/// </summary>
public sealed record ArimaSelection(Arima Best, IReadOnlyList<Arima> Candidates)
{
    /// <summary>The default grid: p 0..3, d 0..1, q 0..2 (24 models).</summary>
    public const int DefaultMaxP = 3, DefaultMaxQ = 2;

    /// <param name="train">[n] the training part of the series.</param>
    /// <param name="d">The differencing order to use, or null to try 0 and 1.</param>
    public static ArimaSelection Select(ReadOnlySpan<double> train, int? d = null, int maxP = DefaultMaxP, int maxQ = DefaultMaxQ)
    {
        if (d is < 0 or > 1) throw new InvalidInputException("arima", $"d = {d} is not allowed; allowed 0 or 1");
        int[] ds = d is { } given ? [given] : [0, 1];
        var candidates = new List<Arima>();
        for (int p = 0; p <= maxP; p++)
            foreach (int dd in ds)
                for (int q = 0; q <= maxQ; q++)
                    candidates.Add(Arima.Fit(train, new ArimaOrder(p, dd, q)));
        var best = candidates[0];
        foreach (var candidate in candidates)
            if (candidate.Aic < best.Aic) best = candidate;
        return new ArimaSelection(best, candidates);
    }
}
