using System.Collections.Concurrent;
using System.Diagnostics;

namespace RnnCluster.Benchmarks.Cluster;

/// <summary>
/// A real silo: <c>dotnet RnnCluster.Silo.dll --Orleans:...</c> as a child process on loopback ports, its output kept
/// (the last lines, for errors). Every started process is tracked so that <see cref="KillAll"/> (called from finally
/// blocks, Ctrl-C and process exit) leaves none behind.
/// </summary>
internal sealed class SiloProcess
{
    private const int TailLines = 200;
    private static readonly List<SiloProcess> Started = [];
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(2) };

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _tail = new();

    private SiloProcess(Process process, string name, int siloPort, int gatewayPort, int httpPort)
    {
        (_process, Name, SiloPort, GatewayPort, HttpPort) = (process, name, siloPort, gatewayPort, httpPort);
    }

    public string Name { get; }
    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int HttpPort { get; }
    public int ProcessId => _process.Id;

    /// <summary>Starts a silo of cluster <paramref name="clusterId"/>; <paramref name="primarySiloPort"/> is the first silo's SiloPort for the ones that join it.</summary>
    public static SiloProcess Start(string siloDll, string name, string clusterId, int? primarySiloPort = null)
    {
        var ports = FreePorts.Take(3);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(siloDll);
        info.ArgumentList.Add($"--Orleans:ClusterId={clusterId}");
        info.ArgumentList.Add($"--Orleans:ServiceId={ClusterComparison.ServiceId}");
        info.ArgumentList.Add($"--Orleans:SiloPort={ports[0]}");
        info.ArgumentList.Add($"--Orleans:GatewayPort={ports[1]}");
        if (primarySiloPort is int primary) info.ArgumentList.Add($"--Orleans:PrimarySiloPort={primary}");
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add($"http://127.0.0.1:{ports[2]}");
        info.ArgumentList.Add("--Logging:LogLevel:Default=Warning");

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var silo = new SiloProcess(process, name, ports[0], ports[1], ports[2]);
        process.OutputDataReceived += (_, e) => silo.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => silo.Keep(e.Data);
        lock (Started)
        {
            if (!process.Start()) throw new InvalidOperationException($"could not start {siloDll}");
            Started.Add(silo);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return silo;
    }

    /// <summary>
    /// <see cref="Start"/> then <see cref="WaitHealthyAsync"/>, up to 3 times on fresh ports if the process dies while
    /// starting (a port taken between choosing and binding it, or a start-up that fails on a loaded machine).
    /// </summary>
    public static async Task<SiloProcess> StartHealthyAsync(string siloDll, string name, string clusterId, int? primarySiloPort,
        TimeSpan timeout, CancellationToken cancellation)
    {
        for (int attempt = 1; ; attempt++)
        {
            var silo = Start(siloDll, name, clusterId, primarySiloPort);
            try
            {
                await silo.WaitHealthyAsync(timeout, cancellation);
                return silo;
            }
            catch (SiloExitedException e) when (attempt < 3)
            {
                Console.Error.WriteLine($"{name} exited while starting (attempt {attempt}); its last output:{Environment.NewLine}{e.Message}{Environment.NewLine}retrying on other ports");
            }
        }
    }

    /// <summary>Waits until <c>/health</c> answers "ok"; throws with the process's last output if it exits or the time runs out.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            cancellation.ThrowIfCancellationRequested();
            if (_process.HasExited)
                throw new SiloExitedException($"silo {Name} exited with code {_process.ExitCode}:{Environment.NewLine}{Tail}");
            try
            {
                string body = await Http.GetStringAsync($"http://127.0.0.1:{HttpPort}/health", cancellation);
                if (body.Trim() == "ok") return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested) { }
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"silo {Name} did not answer /health on port {HttpPort} within {timeout.TotalSeconds:0} s:{Environment.NewLine}{Tail}");
            await Task.Delay(200, cancellation);
        }
    }

    public string Tail => string.Join(Environment.NewLine, _tail);

    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { /* never started or already gone */ }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>Kills every silo process this program started that is still running.</summary>
    public static void KillAll()
    {
        SiloProcess[] silos;
        lock (Started) silos = Started.ToArray();
        foreach (var silo in silos) silo.Kill();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _tail.Enqueue(line);
        while (_tail.Count > TailLines) _tail.TryDequeue(out _);
    }
}

internal sealed class SiloExitedException(string message) : Exception(message);
