namespace RnnCluster.Cluster.Tests;

/// <summary>
/// A test class whose tests run silo processes on Azure Storage: the shared Azurite (or one of its own, started for
/// it and stopped after it, see <see cref="AzuriteProcess.SharedOrNew"/>) and the test's output.
/// </summary>
public abstract class AzuriteTests : IDisposable
{
    private readonly AzuriteProcess? _ownAzurite;

    protected AzuriteTests(ITestOutputHelper output)
    {
        Output = output;
        Storage = AzuriteProcess.SharedOrNew(out _ownAzurite);
    }

    protected ITestOutputHelper Output { get; }

    /// <summary>The storage's connection string.</summary>
    protected string Storage { get; }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _ownAzurite?.Dispose();
    }
}
