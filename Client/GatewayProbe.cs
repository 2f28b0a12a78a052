using System.Net;
using System.Net.Sockets;

namespace RnnCluster.Client;

/// <summary>
/// A plain TCP connect to a gateway before the Orleans client starts, so that a gateway nobody listens on is reported
/// within seconds instead of after the client's own retries.
/// </summary>
public static class GatewayProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Null when something accepted the connection, else why not ("connection refused", "timed out", ...).</summary>
    public static async Task<string?> FailureAsync(IPEndPoint endpoint, CancellationToken cancellation)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(Timeout);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            return null;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return "timed out";
        }
        catch (SocketException e)
        {
            return e.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "connection refused",
                SocketError.TimedOut => "timed out",
                SocketError.HostUnreachable => "host unreachable",
                SocketError.NetworkUnreachable => "network unreachable",
                _ => e.Message,
            };
        }
    }
}
