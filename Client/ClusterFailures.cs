using System.Net.Sockets;
using Azure;
using Orleans.Networking.Shared;
using Orleans.Runtime.Messaging;

namespace RnnCluster.Client;

/// <summary>
/// Which exceptions mean the cluster (or its storage) did not answer, as opposed to a bug or bad input; and each one's
/// short reason for a one-line message.
/// </summary>
public static class ClusterFailures
{
    private const int MaxDetail = 160;

    public static bool IsClusterFailure(Exception e) => e switch
    {
        AggregateException a => a.InnerExceptions.Count > 0 && a.InnerExceptions.All(IsClusterFailure),
        OrleansException or TimeoutException or RequestFailedException or SocketException or SocketConnectionException => true,
        _ => false,
    };

    /// <summary>
    /// A cluster failure, or a call cancelled while the caller's own token was not: Orleans cancels a call it could not
    /// address when the silo owning the target's directory entry died (not a Ctrl+C of the user's).
    /// </summary>
    public static bool IsClusterFailure(Exception e, CancellationToken own) =>
        IsClusterFailure(e) || e is OperationCanceledException && !own.IsCancellationRequested;

    /// <summary>
    /// "a silo is unavailable: ...", "no answer in time: ...": the kind of failure and the first line of its message, of
    /// the innermost cluster failure (Orleans wraps the socket's "connection refused" in a rejection of the message).
    /// </summary>
    public static string Reason(Exception e)
    {
        if (e is AggregateException { InnerExceptions.Count: > 0 } a) return Reason(a.InnerExceptions[0]);
        while (e.InnerException is { } inner && IsClusterFailure(inner)) e = inner;
        string kind = e switch
        {
            TimeoutException => "no answer in time",
            SiloUnavailableException => "a silo is unavailable",
            GatewayTooBusyException => "the gateway is too busy",
            OrleansMessageRejectionException => "the request was rejected",
            ConnectionFailedException or SocketConnectionException or SocketException => "the connection failed",
            RequestFailedException r => r.Status > 0 ? $"storage answered {r.Status}" : "storage did not answer",
            OperationCanceledException => "the cluster cancelled the call",
            _ => "cluster error",
        };
        return $"{kind}: {Detail(e)}";
    }

    private static string Detail(Exception e)
    {
        string line = e.Message.Split('\n', 2)[0].Trim();
        return line.Length <= MaxDetail ? line : line[..(MaxDetail - 3)] + "...";
    }
}
