using System.ComponentModel;
using System.Net;
using System.Net.Sockets;

namespace RnnCluster.Tests.Shared;

/// <summary>
/// Azurite, the Azure Storage emulator, as a node process on free ports of 127.0.0.1, either in memory or keeping
/// its data in a folder (then <see cref="Kill"/> and <see cref="RestartAsync"/> model a storage outage: the restarted
/// emulator has the same ports, connection string and data). The script is the one pinned in tests/azurite
/// (<c>npm ci</c> there, or <c>bash test.sh</c>, installs it). Killed on dispose.
/// </summary>
internal sealed class AzuriteProcess : IDisposable
{
    /// <summary>The variable test.sh sets to the connection string of the one Azurite it starts for the whole run.</summary>
    public const string SharedVariable = "RNNCLUSTER_TEST_AZURITE";

    /// <summary>Azurite's well-known development account key (public; the same for every Azurite).</summary>
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly string? _folder;
    private Node? _node;
    private string _lastLog = "";

    private AzuriteProcess(string? folder)
    {
        _folder = folder;
        var ports = new List<int>();
        while (ports.Count < 3)
        {
            int port = ChildProcess.FreePort();
            if (!ports.Contains(port)) ports.Add(port);
        }
        (BlobPort, QueuePort, TablePort) = (ports[0], ports[1], ports[2]);
        ConnectionString = ConnectionStringFor(BlobPort, QueuePort, TablePort);
    }

    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }

    /// <summary>The full connection string (account devstoreaccount1, the three endpoints on 127.0.0.1).</summary>
    public string ConnectionString { get; }

    /// <summary>Whether the node process is running (false after <see cref="Kill"/>, until <see cref="RestartAsync"/>).</summary>
    public bool IsRunning => _node is { HasExited: false };

    /// <summary>What Azurite printed (the last run's when it is not running).</summary>
    public string Log => _node?.Log ?? _lastLog;

    /// <summary>tests/azurite/node_modules/azurite/dist/src/azurite.js; fails when it is not installed.</summary>
    public static string ScriptPath
    {
        get
        {
            string path = Path.Combine(Repository.Root, "tests", "azurite", "node_modules", "azurite", "dist", "src", "azurite.js");
            if (!File.Exists(path))
                throw new InvalidOperationException(
                    $"{path} is missing: run `bash test.sh` at the repository root (it installs Azurite) or `npm ci` in tests/azurite");
            return path;
        }
    }

    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/devstoreaccount1;";

    /// <summary>Starts an Azurite keeping its data in memory and waits until its blob and table ports accept connections.</summary>
    public static AzuriteProcess StartInMemory() => Started(null);

    /// <summary>Starts an Azurite keeping its data in <paramref name="folder"/> (created if missing) and waits until it listens.</summary>
    public static AzuriteProcess StartOnDisk(string folder)
    {
        string full = Path.GetFullPath(folder);
        Directory.CreateDirectory(full);
        return Started(full);
    }

    /// <summary>
    /// The connection string of the run's shared Azurite (<see cref="SharedVariable"/>, set by test.sh) with
    /// <paramref name="own"/> null, or, when it is not set, of a new in-memory one returned in <paramref name="own"/>
    /// for the caller to dispose.
    /// </summary>
    public static string SharedOrNew(out AzuriteProcess? own)
    {
        string? shared = Environment.GetEnvironmentVariable(SharedVariable);
        if (!string.IsNullOrWhiteSpace(shared))
        {
            own = null;
            return shared;
        }
        own = StartInMemory();
        return own.ConnectionString;
    }

    /// <summary>Whether something accepts TCP connections on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Kills the node process (SIGKILL, no clean shutdown) and waits until it has exited.</summary>
    public void Kill()
    {
        if (_node is null) return;
        _lastLog = _node.Log;
        _node.Dispose();   // ChildProcess: Process.Kill(entireProcessTree) is SIGKILL on Linux, then waits for the exit
        _node = null;
    }

    /// <summary>
    /// Stops Azurite in order (SIGTERM: it writes its on-disk metadata and closes), as a storage service goes down for
    /// maintenance. SIGKILL would lose the writes its metadata database had not saved yet (it saves every few seconds):
    /// an emulator's limit, not a storage outage.
    /// </summary>
    public void Stop()
    {
        if (_node is null) return;
        _node.Terminate(TimeSpan.FromSeconds(20));
        _lastLog = _node.Log;
        _node.Dispose();
        _node = null;
    }

    /// <summary>
    /// Starts Azurite again (killing it first if it still runs) on the same ports, with the same folder, and waits
    /// until it listens. Only an on-disk Azurite keeps its data across a restart.
    /// </summary>
    public Task RestartAsync() => Task.Run(() =>
    {
        Kill();
        Start();
    });

    public void Dispose() => Kill();

    // a first start on free ports; a port taken by another process between choosing it and Azurite binding it (seen in
    // CI: "listen EADDRINUSE" on the queue port) is tried again on other free ports, a few times
    private static AzuriteProcess Started(string? folder)
    {
        for (int attempt = 1; ; attempt++)
        {
            var azurite = new AzuriteProcess(folder);
            try
            {
                azurite.Start();
                return azurite;
            }
            catch (InvalidOperationException) when (attempt < 3 && azurite.Log.Contains("EADDRINUSE", StringComparison.Ordinal))
            {
                azurite.Dispose();
            }
            catch
            {
                azurite.Dispose();
                throw;
            }
        }
    }

    private void Start()
    {
        List<string> arguments =
        [
            ScriptPath, "--silent", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", $"{BlobPort}", "--queuePort", $"{QueuePort}", "--tablePort", $"{TablePort}",
        ];
        // Azurite exits when given both.
        if (_folder is null) arguments.Add("--inMemoryPersistence");
        else arguments.AddRange(["--location", _folder]);

        try
        {
            _node = new Node(arguments);
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException("could not start Azurite: node (Node.js 20 or later) must be on PATH", e);
        }

        var deadline = DateTime.UtcNow + StartTimeout;
        while (!(Accepts(BlobPort) && Accepts(TablePort)))
        {
            string where = $"127.0.0.1 (blob {BlobPort}, table {TablePort})";
            if (_node.HasExited) throw new InvalidOperationException($"Azurite exited before listening on {where}:\n{_node.Log}");
            if (DateTime.UtcNow >= deadline) throw new TimeoutException($"Azurite did not listen on {where} within {StartTimeout}:\n{_node.Log}");
            Thread.Sleep(100);
        }
    }

    /// <summary>One run of node azurite.js (a <see cref="RestartAsync"/> starts another).</summary>
    private sealed class Node(IEnumerable<string> arguments) : ChildProcess("node", arguments);
}
