using RnnCluster.Tests.Shared;

namespace RnnCluster.Benchmarks.Cluster;

internal static class FreePorts
{
    /// <summary>
    /// <paramref name="count"/> distinct loopback TCP ports that were free a moment ago, below the system's ephemeral
    /// range (<see cref="ChildProcess.FreePort"/>: an ephemeral port can be handed to an outgoing connection before the
    /// silo binds it).
    /// </summary>
    public static int[] Take(int count)
    {
        var ports = new List<int>();
        while (ports.Count < count)
        {
            int port = ChildProcess.FreePort();
            if (!ports.Contains(port)) ports.Add(port);
        }
        return [.. ports];
    }
}
