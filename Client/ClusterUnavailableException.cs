namespace RnnCluster.Client;

/// <summary>
/// The cluster could not be reached or did not answer. The message is the whole line the command line prints after
/// "error: " (what failed, where, the short reason and what to try); the exit code is <see cref="Cli.ClusterUnavailable"/>.
/// </summary>
public sealed class ClusterUnavailableException(string message) : Exception(message);
