using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Benchmarks.Cluster;

internal static class JobRunner
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Starts a job under a fresh id, polls it until it finishes and returns its last status; anything but Completed throws.</summary>
    public static async Task<JobStatus> RunAsync(IClusterClient client, JobSpec spec, CancellationToken cancellation)
    {
        string jobId = $"bench-{spec.ModelName}-{spec.ShardCount}-{Guid.NewGuid():N}";
        var job = client.GetGrain<ITrainingJobGrain>(jobId);
        var status = await job.Start(spec);
        try
        {
            while (!status.IsFinished)
            {
                await Task.Delay(PollInterval, cancellation);
                status = await job.GetStatus();
            }
        }
        catch (OperationCanceledException)
        {
            try { await job.Cancel().WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None); } catch (Exception) { /* the cluster may be gone */ }
            throw;
        }
        if (status.State != JobState.Completed)
            throw new InvalidOperationException($"job {jobId} ended {status.State}: {status.Error}");
        return status;
    }
}
