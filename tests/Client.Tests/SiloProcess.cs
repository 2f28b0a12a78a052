using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace RnnCluster.Client.Tests;

/// <summary>A real silo process (Silo/bin/Release/net10.0/RnnCluster.Silo.dll) on 127.0.0.1, killed on dispose.</summary>
internal sealed class SiloProcess : IDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _log = new();

    public SiloProcess(string clusterId, int siloPort, int gatewayPort, int primarySiloPort)
    {
        SiloPort = siloPort;
        GatewayPort = gatewayPort;
        HttpPort = FreePort();
        string dll = Path.Combine(CliRun.RepositoryRoot(), "Silo", "bin", "Release", "net10.0", "RnnCluster.Silo.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution in Release first");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, $"--Orleans:ClusterId={clusterId}", $"--Orleans:SiloPort={siloPort}", $"--Orleans:GatewayPort={gatewayPort}",
                     $"--Orleans:PrimarySiloPort={primarySiloPort}", "--urls", $"http://127.0.0.1:{HttpPort}" })
            start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException("could not start the silo");
        _process.OutputDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_log) _log.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int SiloPort { get; }
    public int GatewayPort { get; }
    public int HttpPort { get; }
    public bool HasExited => _process.HasExited;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>Waits until the silo's /health answers.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"silo exited with {_process.ExitCode}:\n{Log}");
            try
            {
                if (await http.GetStringAsync($"http://127.0.0.1:{HttpPort}/health") == "ok") return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"silo on port {SiloPort} not healthy after {timeout}:\n{Log}");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        finally
        {
            _process.Dispose();
        }
    }
}
