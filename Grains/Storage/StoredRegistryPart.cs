namespace RnnCluster.Grains.Storage;

/// <summary>One part of the job registry in storage: the summaries of the jobs whose ids hash to it.</summary>
[GenerateSerializer, Alias("RnnCluster.StoredRegistryPart")]
public sealed class StoredRegistryPart
{
    [Id(0)] public Dictionary<string, RegistryEntry> Jobs { get; set; } = [];
}

/// <summary>A job's summary and its place in the list (the order jobs were first put in).</summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.RegistryEntry")]
public sealed record RegistryEntry(long Order, JobSummary Summary);
