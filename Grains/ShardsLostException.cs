namespace RnnCluster.Grains;

/// <summary>Shards of a job could not be reached or prepared again within the recovery timeout.</summary>
public sealed class ShardsLostException(string message, Exception? inner = null) : Exception(message, inner);
