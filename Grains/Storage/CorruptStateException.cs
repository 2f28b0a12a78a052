namespace RnnCluster.Grains.Storage;

/// <summary>A stored job record, spec or checkpoint exists but cannot be read; it is left as it is.</summary>
public sealed class CorruptStateException(string what, Exception inner) : Exception($"the stored {what} cannot be read: {inner.Message}", inner)
{
    public string What { get; } = what;
}
