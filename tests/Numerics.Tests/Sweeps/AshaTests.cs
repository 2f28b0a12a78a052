using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Numerics.Tests.Sweeps;

public class AshaTests
{
    [Theory]
    [InlineData(1, 3, 27, new[] { 1, 3, 9 })]
    [InlineData(1, 3, 28, new[] { 1, 3, 9, 27 })]
    [InlineData(2, 2, 20, new[] { 2, 4, 8, 16 })]
    [InlineData(1, 10, 1000, new[] { 1, 10, 100 })]
    [InlineData(5, 3, 5, new int[0])]
    [InlineData(7, 3, 2, new int[0])]
    public void Rungs_are_min_epochs_times_powers_of_eta_below_max(int minEpochs, int eta, int maxEpochs, int[] rungs)
    {
        Assert.Equal(rungs, new Asha(minEpochs, eta, maxEpochs).Rungs);
    }

    [Fact]
    public void Rungs_near_int_max_do_not_overflow()
    {
        Assert.Equal([1_000_000_000], new Asha(1_000_000_000, 10, int.MaxValue).Rungs);
    }

    [Fact]
    public void A_trial_goes_on_when_fewer_than_eta_trials_reached_the_rung()
    {
        var asha = new Asha(1, 3, 27);
        Assert.Equal(AshaDecision.Continue, asha.Decide(1, 9.0, []));
        Assert.Equal(AshaDecision.Continue, asha.Decide(1, 9.0, [0.1]));
    }

    [Fact]
    public void A_trial_goes_on_only_in_the_top_one_over_eta()
    {
        var asha = new Asha(1, 3, 27);
        // n = 3: keep max(1, 1) = 1
        Assert.Equal(AshaDecision.Stop, asha.Decide(3, 0.5, [0.1, 0.2]));
        Assert.Equal(AshaDecision.Stop, asha.Decide(3, 0.15, [0.1, 0.2]));
        Assert.Equal(AshaDecision.Continue, asha.Decide(3, 0.05, [0.1, 0.2]));
        // n = 6: keep 2 (rank 0 and 1)
        double[] five = [0.5, 0.1, 0.4, 0.3, 0.2];
        Assert.Equal(AshaDecision.Continue, asha.Decide(9, 0.15, five));
        Assert.Equal(AshaDecision.Stop, asha.Decide(9, 0.25, five));
        // n = 8: still keep 2 (floor)
        double[] seven = [0.5, 0.1, 0.4, 0.3, 0.2, 0.6, 0.7];
        Assert.Equal(AshaDecision.Stop, asha.Decide(9, 0.25, seven));
        // n = 9: keep 3
        double[] eight = [.. seven, 0.8];
        Assert.Equal(AshaDecision.Continue, asha.Decide(9, 0.25, eight));
        Assert.Equal(AshaDecision.Stop, asha.Decide(9, 0.35, eight));
    }

    [Fact]
    public void A_tie_counts_in_the_arriving_trials_favour()
    {
        var asha = new Asha(1, 3, 27);
        Assert.Equal(AshaDecision.Continue, asha.Decide(1, 0.1, [0.1, 0.2]));
        Assert.Equal(AshaDecision.Continue, asha.Decide(1, 0.1, [0.1, 0.1]));
    }

    [Fact]
    public void A_nan_metric_stops_and_a_recorded_nan_ranks_last()
    {
        var asha = new Asha(1, 3, 27);
        Assert.Equal(AshaDecision.Stop, asha.Decide(1, double.NaN, []));
        Assert.Equal(AshaDecision.Continue, asha.Decide(1, 5.0, [double.NaN, double.NaN]));
    }

    [Fact]
    public void Deciding_at_an_epoch_that_is_no_rung_is_a_caller_error()
    {
        var asha = new Asha(1, 3, 27);
        Assert.Throws<ArgumentOutOfRangeException>(() => asha.Decide(2, 0.1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => asha.Decide(27, 0.1, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Asha(0, 3, 27));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Asha(1, 1, 27));
    }

    [Fact]
    public void The_best_trial_so_far_at_a_rung_is_never_stopped_and_the_worst_is_once_eta_arrived()
    {
        var random = new Random(20180917); // the test's own orders; the sweep's draws use SplitMix64
        for (int round = 0; round < 500; round++)
        {
            int eta = random.Next(2, 11);
            var asha = new Asha(1, eta, 100);
            int rung = asha.Rungs[random.Next(asha.Rungs.Count)];
            // metrics with ties (few distinct values) in a random arrival order
            var metrics = Enumerable.Range(0, random.Next(1, 60)).Select(_ => Math.Round(random.NextDouble(), 1)).ToList();
            var recorded = new List<double>();
            int kept = 0;
            foreach (double metric in metrics)
            {
                var decision = asha.Decide(rung, metric, recorded);
                if (recorded.Count == 0 || metric <= recorded.Min()) Assert.Equal(AshaDecision.Continue, decision);
                else if (recorded.Count + 1 >= eta && recorded.All(r => r < metric)) Assert.Equal(AshaDecision.Stop, decision);
                if (decision == AshaDecision.Continue) kept++;
                recorded.Add(metric);
            }
            Assert.InRange(kept, 1, metrics.Count);
        }
    }

    [Fact]
    public void In_a_long_run_about_one_in_eta_goes_on()
    {
        var random = new Random(7);
        var asha = new Asha(1, 4, 100);
        var recorded = new List<double>();
        int kept = 0;
        for (int i = 0; i < 2000; i++)
        {
            double metric = random.NextDouble();
            if (asha.Decide(4, metric, recorded) == AshaDecision.Continue) kept++;
            recorded.Add(metric);
        }
        Assert.InRange(kept, 2000 / 4 * 0.8, 2000 / 4 * 1.2);
    }
}
