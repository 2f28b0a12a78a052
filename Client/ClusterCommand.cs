using System.CommandLine;
using RnnCluster.Numerics;

namespace RnnCluster.Client;

/// <summary>
/// What the commands on a running cluster share: the cluster options, connecting (a cluster must be named: they never
/// start an embedded one) and turning any failure of the cluster into one line saying what failed and where.
/// </summary>
public static class ClusterCommand
{
    /// <summary>
    /// Sets the command's action: resolve the cluster (bad input before connecting), connect, run <paramref name="act"/>.
    /// <paramref name="whatFailed"/> says what a cluster failure stopped ("cannot read the status of job x").
    /// </summary>
    public static void SetAction(Command command, ClusterCommandOptions cluster, Func<ParseResult, string> whatFailed,
        Func<ParseResult, ClusterConnection, CancellationToken, Task<int>> act, Action<ParseResult>? validate = null)
    {
        command.SetAction(async (parse, cancellation) =>
        {
            validate?.Invoke(parse);
            var target = cluster.Target(parse) ?? throw new InvalidInputException("--gateway",
                $"missing: this command needs a running cluster (--gateway host:port or {ClusterTarget.GatewayVariable}; or --storage CONNECTION_STRING or {ClusterTarget.StorageVariable})");
            await using var connection = await ClusterConnection.ConnectAsync(target, parse.InvocationConfiguration.Error, cancellation);
            try
            {
                return await act(parse, connection, cancellation);
            }
            catch (Exception e) when (ClusterFailures.IsClusterFailure(e, cancellation))
            {
                throw new ClusterUnavailableException($"{whatFailed(parse)} ({connection.Where}): {ClusterFailures.Reason(e)}; check that the cluster's silos are running and try again");
            }
        });
    }
}
