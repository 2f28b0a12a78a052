using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A job's status as <c>rnncluster status --json</c> prints it: snake_case keys as <c>train --json</c> has them, the
/// state as a lowercase word, times in ISO 8601 (UTC), the classical baselines the job computed (empty unless it is a
/// linear baseline's job on a --data series), and the error as {kind, field, message} or null.
/// </summary>
public static class StatusJson
{
    public static string Serialize(JobStatus s) => JsonSerializer.Serialize(new
    {
        s.JobId,
        State = StatusText.StateName(s.State),
        s.Model,
        s.Epoch,
        s.Epochs,
        s.Step,
        History = s.History.Select(h => new { h.Epoch, h.TrainLoss, h.ValidMse, h.Seconds }).ToArray(),
        s.WeightsHash,
        s.ValidMse,
        s.TestMse,
        s.NaiveValidMse,
        s.NaiveTestMse,
        s.ShardSilos,
        s.CoordinatorSilo,
        s.CheckpointStep,
        CheckpointTime = s.CheckpointTime is DateTime t ? IsoTime.Of(t) : null,
        s.Recoveries,
        s.BaselineJobId,
        Fit = s.Fit ?? "adam",
        Classical = (s.Classical ?? []).Select(c => new { c.Name, c.Method, c.Settings, c.ValidMse, c.TestMse }).ToArray(),
        s.Waiting,
        Error = ErrorJson.Of(s.Error, OptionNames.Of),
    }, JsonStyle.SnakeCase);
}
