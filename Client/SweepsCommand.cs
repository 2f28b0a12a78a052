using System.CommandLine;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster sweeps</c>: the sweeps of a running cluster, one line each, from the summaries its sweep registry
/// keeps (one call; no sweep is asked).
/// </summary>
public static class SweepsCommand
{
    public static Command Create(TextWriter output) =>
        ListCommand.Create("sweeps", output, client => client.GetGrain<ISweepRegistryGrain>(0).List(), Table);

    /// <summary>The header, then a line a sweep: id, state, trials done/total, best metric, how long ago it changed, best config.</summary>
    public static string Table(IReadOnlyList<SweepSummary> sweeps, DateTime now) => ListCommand.Table(sweeps, s => s.SweepId, 26,
        width => $"{"sweep".PadRight(width)}  {"state",-9}  {"trials",9}  {"best metric",11}  {"updated",8}  best config",
        (s, width) => $"{s.SweepId.PadRight(width)}  {SweepText.StateName(s.State),-9}  {$"{s.Done}/{s.Trials}",9}  {StatusText.Figure(s.BestMetric),11}  "
            + $"{Age.Since(s.Updated, now) + " ago",8}  {s.BestConfig ?? "-"}");
}
