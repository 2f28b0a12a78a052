namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al. 2018, "A System for Massively Parallel Hyperparameter Tuning")
/// for one trial that trains up to <c>maxEpochs</c> epochs. Its rungs are min_epochs * eta^k epochs (k = 0, 1, ...)
/// below maxEpochs. When a trial reaches a rung it is compared with every trial that reached the same rung before it,
/// and goes on only if it is in the top 1/eta of them (<see cref="Decide"/>): ASHA's promotion rule, evaluated when
/// the trial arrives rather than when a slot frees, so no trial ever waits for others. A stopped trial keeps its
/// history (its epochs so far, its metrics, its weights): keeping it is the caller's concern, as is recording each
/// trial's metric at each rung it reaches for the trials that come later.
/// </summary>
public sealed class Asha
{
    public Asha(int minEpochs, int reductionFactor, int maxEpochs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minEpochs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEpochs, 1);
        MinEpochs = minEpochs;
        ReductionFactor = reductionFactor;
        MaxEpochs = maxEpochs;
        var rungs = new List<int>();
        for (long epochs = minEpochs; epochs < maxEpochs; epochs *= reductionFactor) rungs.Add((int)epochs);
        Rungs = rungs;
    }

    public int MinEpochs { get; }

    /// <summary>eta: a rung keeps the best 1/eta of the trials that reach it.</summary>
    public int ReductionFactor { get; }

    public int MaxEpochs { get; }

    /// <summary>The epochs after which a decision is made: min_epochs * eta^k below <see cref="MaxEpochs"/> (none when min_epochs >= max).</summary>
    public IReadOnlyList<int> Rungs { get; }

    /// <summary>
    /// Whether a trial that has just finished <paramref name="rungEpoch"/> epochs with <paramref name="metric"/>
    /// (lower is better) goes on. <paramref name="recordedAtRung"/>: the metrics of the trials that reached this rung
    /// before it, not including it. With n = recorded + 1 metrics at the rung it goes on when n &lt; eta (too little
    /// evidence to stop anyone) or when its rank (0-based, the number of recorded metrics strictly lower; a tie counts
    /// in its favour) is below max(1, floor(n / eta)). A NaN metric stops it; a NaN recorded metric ranks below all.
    /// So the best trial at a rung so far always goes on.
    /// </summary>
    public AshaDecision Decide(int rungEpoch, double metric, IReadOnlyList<double> recordedAtRung)
    {
        if (!Rungs.Contains(rungEpoch))
            throw new ArgumentOutOfRangeException(nameof(rungEpoch), rungEpoch, $"not a rung; the rungs are {string.Join(", ", Rungs)}");
        ArgumentNullException.ThrowIfNull(recordedAtRung);
        if (double.IsNaN(metric)) return AshaDecision.Stop;
        int n = recordedAtRung.Count + 1;
        if (n < ReductionFactor) return AshaDecision.Continue;
        int rank = recordedAtRung.Count(recorded => recorded < metric);
        int kept = Math.Max(1, n / ReductionFactor);
        return rank < kept ? AshaDecision.Continue : AshaDecision.Stop;
    }
}
