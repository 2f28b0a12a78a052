namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// One shard of a job, keyed by (shard index, job id): builds the job's training data once and, every step,
/// computes the gradient of its aligned subtree of the batch's micro-shard tree for the weights it is sent.
/// Run: the job's run (1 from its start, one more at each resume), so that the release of an ended run that arrives
/// late (its silo was slow or lost) does not drop the data a later run prepared.
/// </summary>
[Alias("RnnCluster.IShardWorkerGrain")]
public interface IShardWorkerGrain : IGrainWithIntegerCompoundKey
{
    /// <summary>Builds the job's data and this shard's buffers (its index is its key) for run <paramref name="run"/>; returns the silo it runs on.</summary>
    [Alias("Prepare")]
    Task<string> Prepare(JobSpec spec, int run);

    [Alias("ComputeGradient")]
    Task<ShardGradient> ComputeGradient(GradientRequest request);

    /// <summary>Drops the shard's data and the activation goes away, unless a later run than <paramref name="run"/> prepared it.</summary>
    [Alias("Release")]
    Task Release(int run);
}
