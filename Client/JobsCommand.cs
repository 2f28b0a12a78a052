using System.CommandLine;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster jobs</c>: the jobs of a running cluster, one line each, from the summaries its job registry keeps
/// (one call, whatever the number of jobs; no job is asked).
/// </summary>
public static class JobsCommand
{
    public static Command Create(TextWriter output) =>
        ListCommand.Create("jobs", output, client => client.GetGrain<IJobRegistryGrain>(0).List(), Table);

    /// <summary>The header, then a line a job: id, state, model, epoch, valid MSE, weights hash, how long ago it changed.</summary>
    public static string Table(IReadOnlyList<JobSummary> jobs, DateTime now)
    {
        int width = Math.Max(24, jobs.Count == 0 ? 0 : jobs.Max(j => j.JobId.Length));
        var text = new System.Text.StringBuilder();
        text.AppendLine($"{"job".PadRight(width)}  {"state",-10} {"model",-16} {"epoch",7} {"valid MSE",10}  {"weights hash",-16}  updated");
        foreach (var j in jobs)
            text.AppendLine($"{j.JobId.PadRight(width)}  {StatusText.StateName(j.State),-10} {j.Model,-16} {$"{j.Epoch}/{j.Epochs}",7} {StatusText.Figure(j.ValidMse),10}  {j.WeightsHash ?? "-",-16}  {Age.Since(j.Updated, now)} ago");
        return text.ToString();
    }
}
