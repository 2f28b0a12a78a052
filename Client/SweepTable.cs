using System.Text;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A sweep's results as a table: its trials ranked by the metric (lowest first; those without one, unfinished or
/// failed, last in index order) with state, epochs trained, metric, test MSE, weights hash and configuration; the
/// failed trials' errors; then the naive and linear baselines' validation and test MSE (of every data split when the
/// trials have several); then, when configurations have several trials or horizons differ, <see cref="SweepConfigTable"/>.
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
        if (baselines.Length <= 1)
        {
            string linear = BaselineNames.LinearShort(baselines.FirstOrDefault()?.LinearFit);
            int width = Math.Max(8, linear.Length);
            text.AppendLine($"{"baseline".PadRight(width)}  {"valid MSE",10}  {"test MSE",10}");
            text.AppendLine($"{"naive".PadRight(width)}  {StatusText.Figure(s.NaiveValidMse),10}  {StatusText.Figure(s.NaiveTestMse),10}");
            text.AppendLine($"{linear.PadRight(width)}  {StatusText.Figure(s.LinearValidMse),10}  {StatusText.Figure(s.LinearTestMse),10}");
        }
        else
        {
            int width = Math.Max(8, baselines.Max(b => BaselineNames.LinearShort(b.LinearFit).Length));
            text.AppendLine($"{"baseline".PadRight(width)}  {"valid MSE",10}  {"test MSE",10}  data split");
            foreach (var b in baselines)
            {
                text.AppendLine($"{"naive".PadRight(width)}  {StatusText.Figure(b.NaiveValidMse),10}  {StatusText.Figure(b.NaiveTestMse),10}  {b.Split}");
                text.AppendLine($"{BaselineNames.LinearShort(b.LinearFit).PadRight(width)}  {StatusText.Figure(b.LinearValidMse),10}  {StatusText.Figure(b.LinearTestMse),10}  {b.Split}");
            }
        }
        if (byConfig)
        {
            text.AppendLine();
            text.Append(SweepConfigTable.Format(s));
        }
        return text.ToString();
    }

    private static bool HasMetric(TrialResult t) => t.Metric is double m && double.IsFinite(m);
}
