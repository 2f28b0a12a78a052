namespace RnnCluster.Observability.Tests;

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
