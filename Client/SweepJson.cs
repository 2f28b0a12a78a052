using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A sweep's status as <c>sweep --json</c>, <c>sweep status --json</c> and the export's trials.json write it:
/// snake_case keys, states as lowercase words, every trial with its values and per-epoch history, the best trial's
/// index, the baselines, and the error as {kind, field, message} or null. A number that is not finite (a diverged
/// trial's loss) is null (<see cref="JsonStyle"/>).
/// </summary>
public static class SweepJson
{
    public static string Serialize(SweepStatus s) => JsonSerializer.Serialize(new
    {
        s.SweepId,
        State = SweepText.StateName(s.State),
        s.Metric,
        s.MaxConcurrent,
        s.Seconds,
        Counts = Enum.GetValues<TrialState>().ToDictionary(SweepText.StateName, s.Count),
        BestTrial = s.Best?.Index,
        s.NaiveValidMse,
        s.NaiveTestMse,
        s.LinearValidMse,
        s.LinearTestMse,
        s.ChapterData,
        Baselines = (s.Baselines ?? []).Select(b => new
        {
            b.Split,
            b.Horizon,
            b.JobId,
            b.NaiveValidMse,
            b.NaiveTestMse,
            b.LinearValidMse,
            b.LinearTestMse,
            LinearFit = b.LinearFit ?? "adam",
        }).ToArray(),
        Trials = s.Trials.Select(t => new
        {
            t.Index,
            t.Config,
            t.Model,
            t.Horizon,
            t.Values,
            t.Seed,
            t.JobId,
            State = SweepText.StateName(t.State),
            Epochs = t.ValidMse.Length,
            t.Metric,
            t.TestMse,
            t.WeightsHash,
            t.ValidMse,
            t.TrainLoss,
            t.Waiting,
            t.Error,
        }).ToArray(),
        Error = ErrorJson.Of(s.Error, OptionNames.OfSweep),
    }, JsonStyle.SnakeCase);
}
