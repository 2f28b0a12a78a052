namespace RnnCluster.Client;

/// <summary>
/// A job failed, diverged or could not do what was asked for a reason that is not the user's input. The message is the
/// line printed after "error: "; the exit code is <see cref="Cli.JobFailed"/>.
/// </summary>
public sealed class JobFailedException(string message) : Exception(message);
