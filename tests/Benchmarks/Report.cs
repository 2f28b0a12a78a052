using RnnCluster.Benchmarks.Cluster;
using RnnCluster.Benchmarks.Compare;

namespace RnnCluster.Benchmarks;

/// <summary>What both benchmark commands print besides their tables: progress on stderr, and how busy the machine is.</summary>
internal static class Report
{
    /// <summary>Other processes using this many cores make a figure unreliable.</summary>
    public const double DisturbedCores = 0.2;

    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    /// <summary>
    /// Prints the load average; before a run also what other processes use now (the load average still counts
    /// whatever ran a minute ago, this program's own build included), and warns when that makes the figures unreliable.
    /// </summary>
    public static void Load(string when, MachineInfo machine)
    {
        if (MachineInfo.LoadAverage() is { } load)
            Console.WriteLine($"Load average {when}: {load[0]:0.00} {load[1]:0.00} {load[2]:0.00} (1, 5, 15 min; it lags by minutes)");
        if (when != "before") return;
        var meter = CpuMeter.Start();
        Thread.Sleep(1000);
        if (meter.OtherCores() is not double others) return;
        Console.WriteLine($"Other processes used {others:0.00} of {machine.LogicalCpus} CPUs during the last second.");
        if (others >= DisturbedCores)
            Console.WriteLine("WARNING: the machine is busy: the figures below will be unreliable.");
    }
}
