using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RnnCluster.Observability.Tests;

/// <summary>A child process whose output is kept for failure messages; killed (with its children) on dispose.</summary>
internal class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    protected ChildProcess(string file, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        _process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }


    /// <summary>The last 20,000 characters the process printed.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.Length <= 20_000 ? _log.ToString() : "..." + _log.ToString(_log.Length - 20_000, 20_000);
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

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

/// <summary>
/// A real silo process (Silo/bin/Release/net10.0/RnnCluster.Silo.dll) on 127.0.0.1: its own cluster id and free
/// silo, gateway and HTTP ports (the HTTP one, set with --urls, serves /metrics and /health).
/// </summary>
internal sealed class SiloProcess : ChildProcess
{
    private SiloProcess(string clusterId, int siloPort, int gatewayPort, int httpPort) : base("dotnet",
        [SiloDll(), $"--Orleans:ClusterId={clusterId}", $"--Orleans:SiloPort={siloPort}", $"--Orleans:GatewayPort={gatewayPort}",
         "--urls", $"http://127.0.0.1:{httpPort}"])
    {
        ClusterId = clusterId;
        GatewayPort = gatewayPort;
        HttpPort = httpPort;
    }

    public string ClusterId { get; }
    public int GatewayPort { get; }
    public int HttpPort { get; }
    public string MetricsUrl => $"http://127.0.0.1:{HttpPort}/metrics";

    public static async Task<SiloProcess> StartAsync()
    {
        var silo = new SiloProcess($"rnncluster-observability-{Guid.NewGuid():N}", FreePort(), FreePort(), FreePort());
        try
        {
            await silo.WaitForAsync("the silo", $"http://127.0.0.1:{silo.HttpPort}/health", "ok", TimeSpan.FromSeconds(90));
            return silo;
        }
        catch
        {
            silo.Dispose();
            throw;
        }
    }

    private static string SiloDll()
    {
        string dll = Path.Combine(Repository.Root, "Silo", "bin", "Release", "net10.0", "RnnCluster.Silo.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"{dll} is missing: build the solution in Release first");
        return dll;
    }
}

/// <summary>
/// A real Prometheus server (Debian's <c>prometheus</c> package) on a free port of 127.0.0.1, scraping one target
/// every second, with its configuration and storage in a temporary folder deleted on dispose.
/// </summary>
internal sealed class PrometheusServer : ChildProcess
{
    public const string ScrapeJob = "rnncluster";
    private readonly string _folder;

    private PrometheusServer(string executable, string folder, int port) : base(executable,
        [$"--config.file={Path.Combine(folder, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(folder, "data")}",
         $"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"])
    {
        _folder = folder;
        Url = $"http://127.0.0.1:{port}";
    }

    public string Url { get; }

    public static async Task<PrometheusServer> StartAsync(int targetPort)
    {
        string executable = Executable();
        string folder = Directory.CreateTempSubdirectory("rnncluster-prometheus-").FullName;
        File.WriteAllText(Path.Combine(folder, "prometheus.yml"), $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: {ScrapeJob}
                metrics_path: /metrics
                static_configs:
                  - targets: ['127.0.0.1:{targetPort}']
            """);
        var server = new PrometheusServer(executable, folder, FreePort());
        try
        {
            await server.WaitForAsync("prometheus", server.Url + "/-/ready", null, TimeSpan.FromSeconds(60));
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    /// <summary>The prometheus executable; throws, saying how to install it, when there is none.</summary>
    public static string Executable() => Find("prometheus") ?? throw new InvalidOperationException(
        "the prometheus server is not installed (no 'prometheus' on PATH): .ci/run installs it with " +
        "'apt-get install -y --no-install-recommends prometheus' (Debian's package); install it the same way to run these tests");

    private static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Append("/usr/bin").Append("/usr/local/bin")
        .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public override void Dispose()
    {
        base.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

internal static class Repository
{
    /// <summary>The folder holding RnnCluster.sln, above the test's output folder.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "RnnCluster.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root above " + AppContext.BaseDirectory);
    }

    public static string Dashboard => Path.Combine(Root, "k8s", "grafana", "rnncluster.json");
}
