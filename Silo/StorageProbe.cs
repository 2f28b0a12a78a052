using Azure;
using Azure.Data.Tables;

namespace RnnCluster.Silo;

/// <summary>
/// Asks Azure Storage for its table service properties: at start-up (a silo with unreachable storage fails at once,
/// in one line) and for /health (at most every 5 s, the answer cached). Without a connection string there is nothing
/// to reach and the probe always succeeds. A connection string that is not one is a <see cref="SiloConfigurationException"/>.
/// </summary>
public sealed class StorageProbe(string? connectionString)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);
    private readonly TableServiceClient? _client = connectionString is { Length: > 0 } c ? Client(c, TimeSpan.FromSeconds(3)) : null;
    private (DateTime At, string? Error) _last = (DateTime.MinValue, null);

    /// <summary>Null when storage answered (or there is none), else why not.</summary>
    public async Task<string?> ErrorAsync(CancellationToken cancellation)
    {
        if (_client is null) return null;
        var last = _last;
        if (DateTime.UtcNow - last.At < CacheFor) return last.Error;
        string? error = null;
        try
        {
            await _client.GetPropertiesAsync(cancellation);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException or InvalidOperationException)
        {
            error = e.Message.Split('\n')[0].Trim();
        }
        _last = (DateTime.UtcNow, error);
        return error;
    }

    public static void ThrowIfUnreachable(string connectionString, TimeSpan timeout)
    {
        var client = Client(connectionString, timeout);
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            client.GetProperties(cancel.Token);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException or AggregateException)
        {
            throw new StorageUnavailableException($"storage at {Describe(client)} does not answer within {timeout.TotalSeconds:0} s: {e.Message.Split('\n')[0].Trim()}", e);
        }
    }

    private static TableServiceClient Client(string connectionString, TimeSpan timeout)
    {
        var options = new TableClientOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.NetworkTimeout = timeout;
        try
        {
            return new TableServiceClient(connectionString, options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            // a value that is wrong, not storage that is away: a configuration error, as a missing value is (exit code 2)
            throw new SiloConfigurationException($"ConnectionStrings:AzureStorage is not a storage connection string: {e.Message.Split('\n')[0].Trim()}");
        }
    }

    private static string Describe(TableServiceClient client) => client.Uri.GetLeftPart(UriPartial.Authority);
}
