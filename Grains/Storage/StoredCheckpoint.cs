namespace RnnCluster.Grains.Storage;

/// <summary>
/// A job's last checkpoint in storage: the training loop's whole state as <see cref="Numerics.Training.CheckpointFormat"/>
/// bytes (SHA-256 checked when read), its step and when it was written. One blob, uploaded whole or not at all.
/// </summary>
public sealed class StoredCheckpoint
{
    public long Step { get; set; }
    public DateTime Written { get; set; }
    public byte[] Data { get; set; } = [];
}
