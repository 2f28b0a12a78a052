using System.Text;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client;

/// <summary>
/// A sweep's results by configuration, one table per horizon (a one-step and a ten-step table for the chapter's
/// sweep): each configuration's trials (its seeds), the chapter's figure when the trials train a catalogue model with
/// its defaults on the chapter's series, the median and best metric of its finished trials and the best trial's test
/// MSE; then that horizon's naive and linear baselines, and the classical ones on a CSV series. Printed when a configuration has several trials or the trials
/// forecast several horizons, where ranking single trials across tasks would mislead.
/// </summary>
public static class SweepConfigTable
{
    /// <summary>Configuration keys that keep a catalogue model at the chapter's settings.</summary>
    private static readonly string[] ChapterKeys = ["model", "horizon"];

    public static bool Applies(SweepStatus s) =>
        s.Trials.GroupBy(t => t.Config).Any(g => g.Count() > 1) || s.Trials.Select(t => t.Horizon).Distinct().Count() > 1;

    public static string Format(SweepStatus s)
    {
        var text = new StringBuilder();
        string metric = s.Metric.Length > 0 ? s.Metric : "metric";
        var rows = s.Trials.GroupBy(t => (t.Horizon, t.Config)).OrderBy(g => g.Min(t => t.Index)).ToList();
        int width = Math.Max(24, Math.Max(rows.Max(g => g.Key.Config.Length) + 2, (s.Baselines ?? []).SelectMany(b => b.Classical ?? []).Select(c => c.Name.Length).DefaultIfEmpty(0).Max()));
        text.AppendLine($"by configuration: the median and best {metric} of each configuration's trials"
            + (s.Trials.Any(t => IsSequence(t)) ? " (sequence-to-sequence models: the MSE at the last time step, as the chapter reports it)" : ""));
        foreach (var horizon in rows.GroupBy(g => g.Key.Horizon).OrderBy(h => h.Key))
        {
            text.AppendLine();
            if (horizon.Key > 0) text.AppendLine(horizon.Key == 1 ? "1 step ahead" : $"{horizon.Key} steps ahead");
            text.AppendLine($"{"config".PadRight(width)}  {"trials",6}  {"chapter",7}  {"median",10}  {"best",10}  {"best's test",11}");
            foreach (var row in horizon)
            {
                var done = row.Where(t => t.Metric is double m && double.IsFinite(m)).OrderBy(t => t.Metric!.Value).ThenBy(t => t.Index).ToList();
                var best = done.FirstOrDefault();
                text.AppendLine($"{row.Key.Config.PadRight(width)}  {$"{done.Count}/{row.Count()}",6}  {Chapter(s, row.First()),7}  "
                    + $"{StatusText.Figure(Median(done.Select(t => t.Metric!.Value).ToList())),10}  {StatusText.Figure(best?.Metric),10}  {StatusText.Figure(best?.TestMse),11}");
            }
            if ((s.Baselines ?? []).FirstOrDefault(b => b.Horizon == horizon.Key) is { } baseline)
            {
                text.AppendLine($"{"naive (baseline)".PadRight(width)}  {"-",6}  {ChapterFigure(s, "naive", horizon.Key),7}  {"-",10}  {StatusText.Figure(baseline.NaiveValidMse),10}  {StatusText.Figure(baseline.NaiveTestMse),11}");
                text.AppendLine($"{BaselineNames.Linear(baseline.LinearFit).PadRight(width)}  {"-",6}  {ChapterFigure(s, "linear", horizon.Key),7}  {"-",10}  {StatusText.Figure(baseline.LinearValidMse),10}  {StatusText.Figure(baseline.LinearTestMse),11}");
                foreach (var c in baseline.Classical ?? [])
                    text.AppendLine($"{c.Name.PadRight(width)}  {"-",6}  {"-",7}  {"-",10}  {StatusText.Figure(c.ValidMse),10}  {StatusText.Figure(c.TestMse),11}");
            }
        }
        return text.ToString();
    }

    /// <summary>The median of the values (the mean of the middle two for an even count), or null for none.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToList();
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    // the chapter's figure for a trial that trains a catalogue model with its defaults on the chapter's series
    private static string Chapter(SweepStatus s, TrialResult t) =>
        t.Model is string model && t.Values.Keys.All(ChapterKeys.Contains) ? ChapterFigure(s, model, t.Horizon) : "-";

    private static string ChapterFigure(SweepStatus s, string model, int horizon) =>
        s.ChapterData && s.Metric == "valid_mse" && ModelCatalogue.ChapterFigure(model, horizon) is double f ? f.ToString("0.000#", System.Globalization.CultureInfo.InvariantCulture) : "-";

    private static bool IsSequence(TrialResult t) =>
        t.Model is string model && ModelCatalogue.All.FirstOrDefault(e => e.Name == model)?.Task.Kind == Numerics.Data.ForecastKind.Sequence;
}
