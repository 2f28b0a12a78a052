using System.Diagnostics;

namespace RnnCluster.Benchmarks.Kernels;

/// <summary>How `product` and `transpose` time one kernel call: a warm-up of as many calls, then the best of 7 rounds.</summary>
internal static class BestTime
{
    // seconds a call of once, calls a round
    public static double Of(Action once, int calls)
    {
        for (int i = 0; i < calls; i++) once();
        double best = double.MaxValue;
        for (int round = 0; round < 7; round++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < calls; i++) once();
            best = Math.Min(best, clock.Elapsed.TotalSeconds / calls);
        }
        return best;
    }
}
