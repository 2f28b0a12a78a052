using System.Text;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A sweep's results as a table: its trials ranked by the metric (lowest first; those without one, unfinished or
/// failed, last in index order) with state, epochs trained, metric, test MSE, weights hash and configuration; the
/// failed trials' errors; then the naive and linear baselines' validation and test MSE, with the classical ones on a
/// CSV series (of every data split when the trials have several); then, when configurations have several trials or
/// horizons differ, <see cref="SweepConfigTable"/>.
/// </summary>
public static class SweepTable
{
    /// <summary>The trials in the table's order: by metric, then the rest by index.</summary>
    public static IReadOnlyList<TrialResult> Ranked(SweepStatus s) =>
    [
        .. s.Trials.Where(HasMetric).OrderBy(t => t.Metric!.Value).ThenBy(t => t.Index),
        .. s.Trials.Where(t => !HasMetric(t)).OrderBy(t => t.Index),
    ];

    public static string Format(SweepStatus s)
    {
        var text = new StringBuilder();
        string metric = s.Metric.Length > 0 ? s.Metric : "metric";
        int metricWidth = Math.Max(10, metric.Length);
        text.AppendLine($"{"rank",4}  {"trial",5}  {"state",-9}  {"epochs",6}  {metric.PadLeft(metricWidth)}  {"test MSE",10}  {"weights hash",-16}  config");
        int rank = 0;
        foreach (var t in Ranked(s))
        {
            string place = HasMetric(t) ? (++rank).ToString() : "-";
            text.AppendLine($"{place,4}  {t.Index,5}  {SweepText.StateName(t.State),-9}  {t.ValidMse.Length,6}  {StatusText.Figure(t.Metric).PadLeft(metricWidth)}  "
                + $"{StatusText.Figure(t.TestMse),10}  {t.WeightsHash ?? "-",-16}  {t.Config}");
        }
        foreach (var t in s.Trials.Where(t => t.Error is not null).OrderBy(t => t.Index))
            text.AppendLine($"trial {t.Index} {SweepText.StateName(t.State)}: {t.Error}");
        foreach (var t in s.Trials.Where(t => t.State == TrialState.Running && t.Waiting is not null).OrderBy(t => t.Index))
            text.AppendLine($"trial {t.Index} waiting for {t.Waiting}");
        var baselines = s.Baselines ?? [];
        bool byConfig = SweepConfigTable.Applies(s);
        // the configuration tables show each horizon's baselines; a list of its own only when horizons share several
        if (byConfig && baselines.Length > 1 && baselines.Select(b => b.Horizon).Distinct().Count() == baselines.Length)
        {
            text.AppendLine();
            text.Append(SweepConfigTable.Format(s));
            return text.ToString();
        }
        text.AppendLine();
        var rows = baselines.Length <= 1
            ? [("naive", s.NaiveValidMse, s.NaiveTestMse, ""), (BaselineNames.LinearShort(baselines.FirstOrDefault()?.LinearFit), s.LinearValidMse, s.LinearTestMse, ""),
                .. (baselines.FirstOrDefault()?.Classical ?? []).Select(c => (c.Name, (double?)c.ValidMse, (double?)c.TestMse, ""))]
            : baselines.SelectMany(b => new[] { ("naive", b.NaiveValidMse, b.NaiveTestMse, b.Split), (BaselineNames.LinearShort(b.LinearFit), b.LinearValidMse, b.LinearTestMse, b.Split) }
                .Concat((b.Classical ?? []).Select(c => (c.Name, (double?)c.ValidMse, (double?)c.TestMse, b.Split)))).ToList();
        int width = Math.Max(8, rows.Max(r => r.Item1.Length));
        text.AppendLine($"{"baseline".PadRight(width)}  {"valid MSE",10}  {"test MSE",10}{(baselines.Length <= 1 ? "" : "  data split")}");
        foreach (var (name, valid, test, split) in rows)
            text.AppendLine($"{name.PadRight(width)}  {StatusText.Figure(valid),10}  {StatusText.Figure(test),10}{(split.Length > 0 ? "  " + split : "")}");
        if (byConfig)
        {
            text.AppendLine();
            text.Append(SweepConfigTable.Format(s));
        }
        return text.ToString();
    }

    private static bool HasMetric(TrialResult t) => t.Metric is double m && double.IsFinite(m);
}
