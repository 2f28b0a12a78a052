using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace RnnCluster.Benchmarks.Embedded;

/// <summary>
/// One fresh child process run to its end: its stdout, the tail of its stderr, its wall time, its own CPU time (from
/// getrusage(RUSAGE_CHILDREN), so nothing is sampled) and the CPU the rest of the machine used meanwhile (/proc/stat's
/// busy time minus this process and the child, in cores: 1.0 = one CPU busy with something else the whole run).
/// </summary>
internal sealed record ChildRun(int ExitCode, string Stdout, string StderrTail, double WallSeconds, double? ChildCpuSeconds, double? OtherCores)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    /// <summary>Runs <c>dotnet DLL ARGS</c> with the environment plus <paramref name="environment"/>; throws on a timeout.</summary>
    public static ChildRun Dotnet(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellation)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        double? busyBefore = MachineBusySeconds(), childrenBefore = ChildrenCpuSeconds(), ownBefore = OwnCpuSeconds();
        var wall = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellation.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"dotnet {Path.GetFileName(dll)} {string.Join(' ', arguments)} did not end within {Timeout.TotalMinutes:0} min");
            }
            process.WaitForExit();   // the output's last lines
        }
        double seconds = wall.Elapsed.TotalSeconds;
        cancellation.ThrowIfCancellationRequested();
        double? child = ChildrenCpuSeconds() - childrenBefore;
        double? others = (MachineBusySeconds() - busyBefore - child - (OwnCpuSeconds() - ownBefore)) / seconds;
        string err;
        lock (stderr) err = stderr.Length <= 4000 ? stderr.ToString() : "..." + stderr.ToString(stderr.Length - 4000, 4000);
        lock (stdout) return new ChildRun(process.ExitCode, stdout.ToString(), err, seconds, child, others is double o ? Math.Max(0, o) : null);
    }

    private static double OwnCpuSeconds()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime.TotalSeconds;
    }

    // the aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal ..., in USER_HZ (100 per second)
    private static double? MachineBusySeconds()
    {
        try
        {
            using var reader = new StreamReader("/proc/stat");
            var fields = reader.ReadLine()?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is null || fields.Length < 9 || fields[0] != "cpu") return null;
            long Field(int i) => long.Parse(fields[i], System.Globalization.CultureInfo.InvariantCulture);
            return (Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8)) / 100.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return null;
        }
    }

    // user + system CPU of every child this process has waited for (Process reaps them with waitpid)
    private static double? ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux()) return null;
        return getrusage(RusageChildren, out var usage) == 0
            ? usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6
            : null;
    }

    private const int RusageChildren = -1;

    // struct rusage on 64-bit Linux: two timevals, then 14 longs
    [StructLayout(LayoutKind.Sequential)]
    private struct Rusage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, Ixrss, Idrss, Isrss, Minflt, Majflt, Nswap, Inblock, Oublock, Msgsnd, Msgrcv, Nsignals, Nvcsw, Nivcsw;
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int getrusage(int who, out Rusage usage);
}
