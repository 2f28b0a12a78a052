using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RnnCluster.Tests.Shared;

/// <summary>A child process whose output is kept for failure messages; killed (with its children) on dispose.</summary>
internal class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    /// <param name="environment">variables to set in the child's environment (a null value removes one inherited).</param>
    protected ChildProcess(string file, IEnumerable<string> arguments, IEnumerable<KeyValuePair<string, string?>>? environment = null)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? [])
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public bool HasExited => _process.HasExited;

    /// <summary>SIGTERM, as an orderly stop: waits up to <paramref name="grace"/> for the exit, then SIGKILL.</summary>
    public void Terminate(TimeSpan grace)
    {
        if (_process.HasExited) return;
        Signal("TERM");
        if (!_process.WaitForExit(grace)) Kill();
    }

    /// <summary>
    /// SIGSTOP, as a process that hangs (or a node cut off): its sockets stay open and the kernel still accepts
    /// connections for it, but nothing is answered until <see cref="Continue"/>.
    /// </summary>
    public void Pause() => Signal("STOP");

    /// <summary>SIGCONT: a paused process runs on.</summary>
    public void Continue() => Signal("CONT");

    private void Signal(string signal)
    {
        if (_process.HasExited) return;
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString()]);
        kill?.WaitForExit(5_000);
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; whether it did.</summary>
    public bool WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout)) return false;
        _process.WaitForExit();   // and the end of its output
        return true;
    }

    /// <summary>The exit code, once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>SIGKILL, as a node dies: no shutdown of any kind; returns once the process is gone.</summary>
    public void Kill()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(10_000);
    }

    /// <summary>The last 20,000 characters the process printed.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.Length <= 20_000 ? _log.ToString() : "..." + _log.ToString(_log.Length - 20_000, 20_000);
        }
    }

    /// <summary>Everything the process printed.</summary>
    public string WholeLog
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>Polls <paramref name="url"/> until it answers 200 (and <paramref name="body"/> when given).</summary>
    protected async Task WaitForAsync(string what, string url, string? body, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{what} exited with code {_process.ExitCode}:\n{Log}");
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode && (body is null || (await response.Content.ReadAsStringAsync()).Trim() == body)) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"{what} did not answer {url} within {timeout}:\n{Log}");
    }

    /// <summary>
    /// A loopback TCP port that was free a moment ago, for a child to listen on. Taken below the system's ephemeral range
    /// (Linux: ip_local_port_range, 32768 up by default): a port the system handed out from that range could be handed
    /// out again, before the child binds it, to one of the many outgoing connections the tests open (to Azurite, between
    /// silos), and the child then failed with "address already in use". Never the same port twice in one test run: the
    /// test classes start their silos at once, and two picks of one port before either child bound it (about one run in
    /// twelve, for some 60 ports picked in the first seconds) failed a silo's start the same way.
    /// </summary>
    public static int FreePort()
    {
        int below = EphemeralStart();
        for (int attempt = 0; attempt < 100; attempt++)
        {
            int port = Random.Shared.Next(10000, below);
            lock (HandedOut)
            {
                if (!HandedOut.Add(port)) continue;
            }
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
                // taken: another
            }
        }
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // every port FreePort returned (or tried) in this process
    private static readonly HashSet<int> HandedOut = [];

    private static int EphemeralStart()
    {
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out int start) && start > 11000
            ? start
            : 32768;
    }

    public virtual void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
        }
        finally
        {
            _process.Dispose();
        }
    }
}
