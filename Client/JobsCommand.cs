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
    public static string Table(IReadOnlyList<JobSummary> jobs, DateTime now) => ListCommand.Table(jobs, j => j.JobId, 24,
        width => $"{"job".PadRight(width)}  {"state",-10} {"model",-16} {"epoch",7} {"valid MSE",10}  {"weights hash",-16}  updated",
        (j, width) => $"{j.JobId.PadRight(width)}  {StatusText.StateName(j.State),-10} {j.Model,-16} {$"{j.Epoch}/{j.Epochs}",7} {StatusText.Figure(j.ValidMse),10}  {j.WeightsHash ?? "-",-16}  {Age.Since(j.Updated, now)} ago");
}
