using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A job's status as <c>rnncluster status</c> and <c>watch</c> print it: one "name: value" line a fact, and a
/// "classical:" line a classical baseline the job computed (a linear baseline's job on a --data series).
/// </summary>
public static class StatusText
{
    public static string Describe(JobStatus s, DateTime now)
    {
        var lines = new List<string>
        {
            $"job:          {s.JobId}",
            $"state:        {StateName(s.State)}",
            $"model:        {s.Model}{(s.Fit is string fit ? $" (fitted by {fit})" : "")}",
            $"epoch:        {s.Epoch}/{s.Epochs} (step {s.Step})",
            $"train loss:   {Figure(s.History.LastOrDefault()?.TrainLoss)}",
            $"valid MSE:    {LatestValidMse(s)}",
            $"test MSE:     {Figure(s.TestMse)}",
            $"naive:        valid {Figure(s.NaiveValidMse)}, test {Figure(s.NaiveTestMse)}",
            $"weights hash: {s.WeightsHash ?? "-"}",
            $"coordinator:  {s.CoordinatorSilo ?? "-"}",
            $"shards:       {(s.ShardSilos.Length == 0 ? "-" : $"{s.ShardSilos.Length} on {string.Join(", ", s.ShardSilos.Distinct())}")}",
            $"checkpoint:   {(s.CheckpointStep is long step ? $"step {step}{(s.CheckpointTime is DateTime t ? $", written {Age.Since(t, now)} ago" : "")}" : "none")}",
            $"recoveries:   {s.Recoveries}",
        };
        if (s.Waiting is not null) lines.Add($"waiting for:  {s.Waiting}");
        if (s.BaselineJobId is not null) lines.Add($"baseline:     {s.BaselineJobId}");
        foreach (var c in s.Classical ?? []) lines.Add($"classical:    {c.Name}: valid {Figure(c.ValidMse)}, test {Figure(c.TestMse)}");
        if (s.Error is not null) lines.Add($"error:        {OptionNames.Of(s.Error.Field)}: {s.Error.Message}");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>"running", "completed", "diverged", ...</summary>
    public static string StateName(JobState state) => state.ToString().ToLowerInvariant();

    /// <summary>The final validation MSE of a finished job, else the last epoch's (in the trained targets' units), else "-".</summary>
    public static string LatestValidMse(JobStatus s) => Figure(s.ValidMse ?? s.History.LastOrDefault()?.ValidMse);

    public static string Figure(double? value) => value is double v ? v.ToString("0.000000") : "-";
}
