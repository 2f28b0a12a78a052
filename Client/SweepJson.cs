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
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Serialize(SweepStatus s) => JsonSerializer.Serialize(new
    {
        sweep_id = s.SweepId,
        state = SweepText.StateName(s.State),
        metric = s.Metric,
        max_concurrent = s.MaxConcurrent,
        seconds = Finite(s.Seconds),
        counts = Enum.GetValues<TrialState>().ToDictionary(SweepText.StateName, s.Count),
        best_trial = s.Best?.Index,
        naive_valid_mse = Finite(s.NaiveValidMse),
        naive_test_mse = Finite(s.NaiveTestMse),
        linear_valid_mse = Finite(s.LinearValidMse),
        linear_test_mse = Finite(s.LinearTestMse),
        chapter_data = s.ChapterData,
        baselines = (s.Baselines ?? []).Select(b => new
        {
            split = b.Split,
            horizon = b.Horizon,
            job_id = b.JobId,
            naive_valid_mse = Finite(b.NaiveValidMse),
            naive_test_mse = Finite(b.NaiveTestMse),
            linear_valid_mse = Finite(b.LinearValidMse),
            linear_test_mse = Finite(b.LinearTestMse),
            linear_fit = b.LinearFit ?? "adam",
        }).ToArray(),
        trials = s.Trials.Select(t => new
        {
            index = t.Index,
            config = t.Config,
            model = t.Model,
            horizon = t.Horizon,
            values = t.Values,
            seed = t.Seed,
            job_id = t.JobId,
            state = SweepText.StateName(t.State),
            epochs = t.ValidMse.Length,
            metric = Finite(t.Metric),
            test_mse = Finite(t.TestMse),
            weights_hash = t.WeightsHash,
            valid_mse = t.ValidMse.Select(v => Finite(v)).ToArray(),
            train_loss = t.TrainLoss?.Select(v => Finite(v)).ToArray(),
            error = t.Error,
        }).ToArray(),
        error = ErrorJson.Of(s.Error, OptionNames.OfSweep),
    }, Indented);

    private static double? Finite(double? value) => value is double v && double.IsFinite(v) ? v : null;
}
