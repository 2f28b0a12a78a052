namespace RnnCluster.Cluster.Tests;

/// <summary>
/// A <see cref="StringWriter"/> that completes <see cref="Seen"/> when a line starting with the prefix is first written
/// (by another thread: a command running in the test process). Read the text once its writer is done.
/// </summary>
public sealed class FirstLineWriter(string prefix) : StringWriter
{
    private readonly TaskCompletionSource _seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Seen => _seen.Task;

    public override void WriteLine(string? value)
    {
        base.WriteLine(value);
        if (value is not null && value.StartsWith(prefix, StringComparison.Ordinal)) _seen.TrySetResult();
    }
}
