using System.Diagnostics;
using System.Globalization;

namespace RnnCluster.Benchmarks.Compare;

/// <summary>
/// How much CPU the rest of the machine used while a row was measured (the machine is shared): the busy time of all
/// CPUs from /proc/stat (user, nice, system, irq, softirq and steal) minus this process's own CPU time, in cores
/// (1.0 = one CPU busy with something else the whole time). A row measured beside 0.2 cores or more of other work is
/// marked in the tables. Null where /proc/stat cannot be read.
/// </summary>
internal sealed class CpuMeter
{
    private readonly double? _machineBusy;
    private readonly double _ownCpu;
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    private CpuMeter(double? machineBusy, double ownCpu)
    {
        _machineBusy = machineBusy;
        _ownCpu = ownCpu;
    }

    public static CpuMeter Start() => new(MachineBusySeconds(), OwnCpuSeconds());

    /// <summary>Average cores used by other processes (or the hypervisor, as steal time) since <see cref="Start"/>.</summary>
    public double? OtherCores()
    {
        double wall = _wall.Elapsed.TotalSeconds;
        if (_machineBusy is not double before || MachineBusySeconds() is not double after || wall <= 0) return null;
        double others = after - before - (OwnCpuSeconds() - _ownCpu);
        return Math.Max(0, others / wall);
    }

    private static double OwnCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    // the aggregate "cpu" line: user nice system idle iowait irq softirq steal ..., in USER_HZ (100 per second)
    private static double? MachineBusySeconds()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is null || fields.Length < 9 || fields[0] != "cpu") return null;
            long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
            long busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
            return busy / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }
}
