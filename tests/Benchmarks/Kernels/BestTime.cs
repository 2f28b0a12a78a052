using System.Diagnostics;

namespace RnnCluster.Benchmarks.Kernels;

/// <summary>How `product` and `transpose` time one kernel call: a warm-up of at least a second (whole rounds), then the best of 7 rounds.</summary>
internal static class BestTime
{
    // seconds a call of once, calls a round
    public static double Of(Action once, int calls)
    {
        // a second of warm-up at least: tiered compilation promotes a method only after a delay of 100 ms without new
        // tier-0 code, so a small shape's rounds (about 0.1 s in all) were timed with the callers still at tier 0
        // (`product 6 20 16` 158 ns a call, 103 ns with DOTNET_TieredCompilation=0)
        var warmUp = Stopwatch.StartNew();
        do
            for (int i = 0; i < calls; i++) once();
        while (warmUp.Elapsed < TimeSpan.FromSeconds(1));
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
