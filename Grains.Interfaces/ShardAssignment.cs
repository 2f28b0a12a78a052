namespace RnnCluster.Grains.Interfaces;

/// <summary>What a shard worker needs to build its data and its part of every batch's tree, sent once.</summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.ShardAssignment")]
public sealed record ShardAssignment(
    [property: Id(0)] string JobId,
    [property: Id(1)] JobSpec Spec,
    [property: Id(2)] int ShardIndex);
