namespace RnnCluster.Grains.Storage;

/// <summary>
/// A job's last checkpoint in storage: the training loop's whole state as <see cref="Numerics.Training.CheckpointFormat"/>
/// bytes (SHA-256 checked when read), its step and when it was written. One blob, uploaded whole or not at all.
/// </summary>
[GenerateSerializer, Alias("RnnCluster.StoredCheckpoint")]
public sealed class StoredCheckpoint
{
    [Id(0)] public long Step { get; set; }
    [Id(1)] public DateTime Written { get; set; }
    [Id(2)] public byte[] Data { get; set; } = [];
}
