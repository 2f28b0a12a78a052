namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// The response timeout of the calls that change a job or a sweep or carry its weights (start, cancel, resume, export,
/// the model), whoever calls them: Orleans' default, 30 s. The command-line client waits less for every other call
/// (a status, a list), so that one sent through a silo that hangs is retried sooner.
/// </summary>
public static class LongCall
{
    public const string Timeout = "00:00:30";
}
