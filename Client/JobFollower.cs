using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>Polls a job's status and prints each new epoch until the job is finished.</summary>
public static class JobFollower
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static async Task<JobStatus> FollowAsync(IClusterClient client, string jobId, TextWriter progress, CancellationToken cancellation)
    {
        var job = client.GetGrain<ITrainingJobGrain>(jobId);
        int printed = 0;
        while (true)
        {
            var status = await job.GetStatus();
            for (; printed < status.History.Length; printed++) progress.WriteLine(FormatEpoch(status.History[printed], status.Epochs));
            if (status.IsFinished || status.State == JobState.Unknown) return status;
            await Task.Delay(PollInterval, cancellation);
        }
    }

    public static string FormatEpoch(EpochSummary e, int epochs)
    {
        double left = e.Seconds / e.Epoch * (epochs - e.Epoch);
        return $"epoch {e.Epoch,3}/{epochs}  loss {e.TrainLoss:0.000000}  val_mse {e.ValidMse:0.000000}  {e.Seconds,6:0.0}s  ~{left:0}s left";
    }
}
