using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Benchmarks.Kernels;

/// <summary>
/// `lstm-step [N]`: the LSTM step's two forms (<see cref="LstmStepKernel"/>: one fused pass, or the activations' three
/// passes then the cell) on N elements (units x samples; default 640, the chapter's 20 units x 32 samples), each timed
/// as `product` times (best of 7 rounds), alternately, 5 times, and which form <c>Forward</c> takes on this host. The
/// gates are activated in place call after call (branch-free kernels: the values do not change the time).
/// </summary>
internal static class LstmStepCommand
{
    public static int Run(string[] args)
    {
        int n = 640;
        if (args.Length > 1 || (args.Length == 1 && (!int.TryParse(args[0], out n) || n < 1)))
        {
            Console.Error.WriteLine("usage: lstm-step [N]   (elements: units x samples, at least 1)");
            return 2;
        }
        var random = new Random(1);
        float[] gates = new float[4 * n], cPrev = new float[n], c = new float[n], tanhC = new float[n], h = new float[n];
        for (int i = 0; i < gates.Length; i++) gates[i] = (float)(4 * random.NextDouble() - 2);
        for (int i = 0; i < n; i++) cPrev[i] = (float)(2 * random.NextDouble() - 1);
        int calls = Math.Clamp(20_000_000 / n, 10, 1_000_000);
        double onePass = double.MaxValue, twoPasses = double.MaxValue;
        // optimised from the start (see BestTime.Of)
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void OnePass() => LstmStepKernel.InOnePass(gates, cPrev, c, tanhC, h);
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        void TwoPasses() => LstmStepKernel.InTwoPasses(gates, cPrev, c, tanhC, h);
        for (int round = 0; round < 5; round++)
        {
            onePass = Math.Min(onePass, BestTime.Of(OnePass, calls));
            twoPasses = Math.Min(twoPasses, BestTime.Of(TwoPasses, calls));
        }
        Console.WriteLine($"lstm-step {n}: one pass {onePass * 1e9:0} ns, two passes {twoPasses * 1e9:0} ns " +
            $"(two / one {twoPasses / onePass:0.00}); Forward here takes {(LstmStepKernel.OnePass ? "one pass" : "two passes")}");
        return 0;
    }
}
