using Microsoft.Extensions.Hosting;

namespace RnnCluster.Client;

/// <summary>
/// The host lifetime of the client's Orleans client and embedded silo: none of the console's. The default one takes
/// Ctrl+C and SIGTERM for itself and waits for a shutdown nothing asks for, so the command would go on; without it the
/// command line's own cancellation ends the command, and disposing the connection stops the host.
/// </summary>
public sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
