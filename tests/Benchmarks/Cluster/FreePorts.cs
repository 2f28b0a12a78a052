using System.Net;
using System.Net.Sockets;

namespace RnnCluster.Benchmarks.Cluster;

internal static class FreePorts
{
    /// <summary><paramref name="count"/> distinct loopback TCP ports that were free a moment ago (held open together, then released).</summary>
    public static int[] Take(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (int i = 0; i < count; i++)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                listeners.Add(listener);
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }
}
