using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Benchmarks.Cluster;

/// <summary>The machine a run measured: CPU model and logical CPU count from /proc/cpuinfo (what lscpu shows), .NET, OS.</summary>
internal sealed record MachineInfo(string CpuModel, int LogicalCpus, string DotNet, string Os, string VectorWidth)
{
    public static MachineInfo Current()
    {
        string model = RuntimeInformation.ProcessArchitecture.ToString();
        int cpus = Environment.ProcessorCount;
        try
        {
            var lines = File.ReadAllLines("/proc/cpuinfo");
            var name = lines.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            if (name is not null) model = name[(name.IndexOf(':') + 1)..].Trim();
            int processors = lines.Count(l => l.StartsWith("processor", StringComparison.Ordinal));
            if (processors > 0) cpus = processors;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        string width = Vector512.IsHardwareAccelerated ? "AVX-512 (Vector512)" : Vector256.IsHardwareAccelerated ? "AVX2 (Vector256)" : "Vector128";
        return new MachineInfo(model, cpus, RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, width);
    }

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg, or null where there is none.</summary>
    public static double[]? LoadAverage()
    {
        try
        {
            var fields = File.ReadAllText("/proc/loadavg").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return fields.Take(3).Select(f => double.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }

    public override string ToString() => $"{CpuModel}, {LogicalCpus} logical CPUs ({Environment.ProcessorCount} usable), {VectorWidth}, {DotNet}, {Os}";
}
