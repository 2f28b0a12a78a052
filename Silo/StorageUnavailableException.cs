namespace RnnCluster.Silo;

/// <summary>The storage a silo is configured with cannot be used: a malformed connection string, or no answer.</summary>
public sealed class StorageUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
