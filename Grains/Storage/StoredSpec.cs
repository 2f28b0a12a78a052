namespace RnnCluster.Grains.Storage;

/// <summary>A job's spec in storage, with the CSV values the client shipped: written at start (and on resume with more epochs).</summary>
[GenerateSerializer, Alias("RnnCluster.StoredSpec")]
public sealed class StoredSpec
{
    [Id(0)] public JobSpec? Spec { get; set; }
}
