using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A sweep's status as <c>sweep --json</c>, <c>sweep status --json</c> and the export's trials.json write it:
/// snake_case keys, states as lowercase words, every trial with its values and per-epoch history, the best trial's
/// index, the baselines, and the error as {kind, field, message} or null. A number that is not finite (a diverged
/// trial's loss) is null, as JSON has no NaN.
/// </summary>
public static class SweepJson
{
    public static string Serialize(SweepStatus s) => JsonSerializer.Serialize(new
    {
        s.SweepId,
        State = SweepText.StateName(s.State),
        s.Metric,
        s.MaxConcurrent,
        Seconds = Finite(s.Seconds),
        Counts = Enum.GetValues<TrialState>().ToDictionary(SweepText.StateName, s.Count),
        BestTrial = s.Best?.Index,
        NaiveValidMse = Finite(s.NaiveValidMse),
        NaiveTestMse = Finite(s.NaiveTestMse),
        LinearValidMse = Finite(s.LinearValidMse),
        LinearTestMse = Finite(s.LinearTestMse),
        s.ChapterData,
        Baselines = (s.Baselines ?? []).Select(b => new
        {
            b.Split,
            b.Horizon,
            b.JobId,
            NaiveValidMse = Finite(b.NaiveValidMse),
            NaiveTestMse = Finite(b.NaiveTestMse),
            LinearValidMse = Finite(b.LinearValidMse),
            LinearTestMse = Finite(b.LinearTestMse),
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
            Metric = Finite(t.Metric),
            TestMse = Finite(t.TestMse),
            t.WeightsHash,
            ValidMse = t.ValidMse.Select(v => Finite(v)).ToArray(),
            TrainLoss = t.TrainLoss?.Select(v => Finite(v)).ToArray(),
            t.Waiting,
            t.Error,
        }).ToArray(),
        Error = ErrorJson.Of(s.Error, OptionNames.OfSweep),
    }, JsonStyle.SnakeCase);

    private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;
}
