namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One shard of a job, keyed by (shard index, job id): builds the job's training data once and, every step,
/// computes the gradient of its aligned subtree of the batch's micro-shard tree for the weights it is sent.
/// </summary>
[Alias("RnnCluster.IShardWorkerGrain")]
public interface IShardWorkerGrain : IGrainWithIntegerCompoundKey
{
    /// <summary>Builds the job's data and this shard's buffers (its index is its key); returns the silo it runs on.</summary>
    [Alias("Prepare")]
    Task<string> Prepare(JobSpec spec);

    [Alias("ComputeGradient")]
    Task<ShardGradient> ComputeGradient(GradientRequest request);

    /// <summary>Drops the shard's data; the activation goes away.</summary>
    [Alias("Release")]
    Task Release();
}
