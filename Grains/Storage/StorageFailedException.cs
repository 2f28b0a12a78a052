namespace RnnCluster.Grains.Storage;

/// <summary>Storage did not take a write (or answer a read) for longer than <see cref="JobOptions.StorageRetryTimeout"/>.</summary>
public sealed class StorageFailedException(string message, Exception inner) : Exception(message, inner);
