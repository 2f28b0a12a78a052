using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// How a followed sweep ends the command (<c>sweep</c>, <c>sweep watch</c>): the final table, or with --json the
/// status as JSON, on the output; exit code 0 when the sweep completed, else 1 with one line on the error writer
/// saying that it was cancelled or failed, and why.
/// </summary>
public static class SweepReport
{
    public static int Report(SweepStatus s, TextWriter output, TextWriter error, bool asJson)
    {
        if (asJson) output.WriteLine(SweepJson.Serialize(s));
        else
        {
            output.WriteLine();
            output.Write(SweepTable.Format(s));
        }
        if (s.State == SweepState.Completed) return Cli.Done;
        string why = s.Error is { } e ? $": {OptionNames.OfSweep(e.Field)}: {e.Message}" : "";
        string next = s.State is SweepState.Cancelled or SweepState.Failed ? $"; go on with `rnncluster sweep resume {s.SweepId}`" : "";
        error.WriteLine($"error: sweep {s.SweepId} {SweepText.StateName(s.State)}{why}{next}");
        return Cli.JobFailed;
    }
}
