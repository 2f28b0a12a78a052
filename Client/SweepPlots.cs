using System.Globalization;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Sweeps;
using ScottPlot;

namespace RnnCluster.Client;

/// <summary>
/// A sweep's figures as PNG files (<c>sweep SPEC.json --plot DIR</c>, <c>sweep status SWEEP --plot DIR</c>):
/// learning-curves.png, every trial's validation MSE per epoch (trials that did not complete dashed and lighter, the
/// best thicker and named); metric-vs-KEY.png a searched key (one whose value differs between trials), the metric of
/// every finished trial against the key's value (numbers, on a log axis for the learning rate or values spanning more
/// than 10x; else names as categories), the best marked; and best-forecast.png, the best trial's last validation
/// window, when its job has one (a completed job does). An axis of values spanning more than 10x is logarithmic.
/// </summary>
public static class SweepPlots
{
    /// <summary>The option the folder comes from, which a folder that cannot be written names.</summary>
    public const string Option = "--plot";

    public const string LearningCurves = "learning-curves.png";
    public const string BestForecast = "best-forecast.png";

    /// <summary>The file of the metric against a searched key ("metric-vs-learning_rate.png").</summary>
    public static string MetricVs(string key) =>
        $"metric-vs-{new string(key.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '-').ToArray())}.png";

    // more trials than this, and only the best is named in the learning curves' legend
    private const int MostNamedTrials = 12;

    /// <summary>Creates the folder before the sweep runs: one that cannot be is bad input naming --plot.</summary>
    public static void Prepare(string folder) => Guard(folder, () => Directory.CreateDirectory(folder));

    /// <summary>
    /// Asks the cluster for the best trial's model (for its last validation window), writes the figures to
    /// <paramref name="folder"/> and prints "plotted FILE" for each on <paramref name="progress"/> (and a line saying
    /// why there is no best-forecast.png when there is none).
    /// </summary>
    public static async Task WriteAsync(ClusterConnection connection, string folder, SweepStatus status, TextWriter progress, CancellationToken cancellation)
    {
        TrainedModel? model = null;
        if (status.Best is { } best)
        {
            var export = await connection.CallAsync(client => client.GetGrain<ITrainingJobGrain>(best.JobId).Export(), cancellation);
            model = export.Model;
            if (model?.LastWindowForecast is null)
                progress.WriteLine(export.Error is { } refusal
                    ? $"no {BestForecast}: the model of trial {best.Index} (job {best.JobId}) cannot be read: {OptionNames.Of(refusal.Field)}: {refusal.Message}"
                    : $"no {BestForecast}: trial {best.Index}'s job {best.JobId} has no last validation window (it did not complete)");
        }
        foreach (var file in Write(folder, status, model)) progress.WriteLine($"plotted {file}");
    }

    /// <summary>
    /// Writes the figures of <paramref name="status"/> to <paramref name="folder"/> (created if missing) and returns
    /// their paths: the learning curves, the metric against each searched key that has a finished trial, and when
    /// <paramref name="best"/> (the best trial's model) has a last validation window, its forecast. A folder that
    /// cannot be written is bad input naming --plot.
    /// </summary>
    public static IReadOnlyList<string> Write(string folder, SweepStatus status, TrainedModel? best)
    {
        var figures = new List<(Plot Plot, string Name)> { (Curves(status), LearningCurves) };
        foreach (var key in SearchedKeys(status))
            if (MetricAgainst(status, key) is { } plot) figures.Add((plot, MetricVs(key)));
        if (status.Best is { } b && best is { LastWindowInput: { } input, LastWindowActual: { } actual, LastWindowForecast: { } forecast })
            figures.Add((Plots.Forecast(Fit($"best trial {b.Index} ({b.Config}): last validation window", $"best trial {b.Index}: last validation window"),
                input, actual, forecast), BestForecast));

        var files = new List<string>();
        Guard(folder, () =>
        {
            Directory.CreateDirectory(folder);
            foreach (var (plot, name) in figures) files.Add(Plots.Save(plot, Path.Combine(folder, name)));
        });
        return files;
    }

    /// <summary>
    /// The keys whose value differs between trials (a trial without the key does not count), in the space's order,
    /// keys the client does not know after them.
    /// </summary>
    public static IReadOnlyList<string> SearchedKeys(SweepStatus status)
    {
        var order = SpaceKey.All.Select(k => k.Name).ToList();
        return
        [
            .. status.Trials.SelectMany(t => t.Values).GroupBy(kv => kv.Key, kv => kv.Value)
                .Where(g => g.Distinct().Skip(1).Any()).Select(g => g.Key)
                .OrderBy(k => order.IndexOf(k) is int i and >= 0 ? i : int.MaxValue).ThenBy(k => k, StringComparer.Ordinal),
        ];
    }

    private static Plot Curves(SweepStatus status)
    {
        var plot = new Plot();
        var best = status.Best;
        var trials = status.Trials.OrderBy(t => t.Index).ToList();
        var points = trials.ToDictionary(t => t.Index, t => t.ValidMse.Select((v, e) => (Epoch: e + 1.0, Mse: v)).Where(p => double.IsFinite(p.Mse)).ToList());
        bool log = SpansDecade(points.Values.SelectMany(p => p.Select(q => q.Mse)));
        bool nameAll = trials.Count <= MostNamedTrials;
        // the best last, so that it is drawn over the others
        foreach (var t in trials.OrderBy(t => t.Index == best?.Index))
        {
            var p = points[t.Index];
            if (p.Count == 0) continue;
            bool isBest = t.Index == best?.Index;
            var line = plot.Add.Scatter(p.Select(q => q.Epoch).ToArray(), p.Select(q => log ? Math.Log10(q.Mse) : q.Mse).ToArray());
            line.LineWidth = isBest ? 4 : 1.5f;
            line.MarkerSize = isBest ? 7 : 4;
            if (t.State != TrialState.Completed)
            {
                line.LinePattern = LinePattern.Dashed;
                line.Color = line.Color.WithOpacity(0.5);
            }
            if (isBest) line.LegendText = $"best: trial {t.Index} ({t.Config}), {status.Metric} {StatusText.Figure(t.Metric)}";
            else if (nameAll) line.LegendText = $"trial {t.Index} ({t.Config}){(t.State == TrialState.Completed ? "" : ", " + SweepText.StateName(t.State))}";
        }
        string title = best is null ? "validation MSE per epoch" : $"validation MSE per epoch (best: trial {best.Index})";
        plot.Title(Fit($"sweep {status.SweepId}: {title}", title));
        plot.XLabel("epoch");
        plot.YLabel(log ? "validation MSE (log scale)" : "validation MSE");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        if (log) LogAxis(plot.Axes.Left, points.Values.SelectMany(p => p.Select(q => q.Mse)));
        if (plot.PlottableList.Count > 0) plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    // the metric of every finished trial with the key against its value; null when no such trial has a metric
    private static Plot? MetricAgainst(SweepStatus status, string key)
    {
        var trials = status.Trials
            .Where(t => t.Metric is double m && double.IsFinite(m) && t.Values.ContainsKey(key))
            .OrderBy(t => t.Index).ToList();
        if (trials.Count == 0) return null;
        var values = trials.Select(t => t.Values[key]).ToList();
        bool numeric = values.All(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x));
        var plot = new Plot();

        Func<TrialResult, double> x;
        if (numeric)
        {
            var numbers = values.Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToList();
            bool logX = numbers.All(n => n > 0) && (key == SpaceKey.LearningRateKey.Name || SpansDecade(numbers));
            x = t =>
            {
                double n = double.Parse(t.Values[key], NumberStyles.Float, CultureInfo.InvariantCulture);
                return logX ? Math.Log10(n) : n;
            };
            if (logX) LogAxis(plot.Axes.Bottom, numbers);
            plot.XLabel(logX ? $"{key} (log scale)" : key);
        }
        else
        {
            var known = SpaceKey.Find(key)?.Names.ToList() ?? [];
            var categories = values.Distinct()
                .OrderBy(v => known.IndexOf(v) is int i and >= 0 ? i : int.MaxValue).ThenBy(v => v, StringComparer.Ordinal).ToList();
            x = t => categories.IndexOf(t.Values[key]);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, categories.Count).Select(i => (double)i)], [.. categories]);
            plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
            plot.XLabel(key);
        }

        var metrics = trials.Select(t => t.Metric!.Value).ToList();
        bool logY = SpansDecade(metrics);
        double Y(TrialResult t) => logY ? Math.Log10(t.Metric!.Value) : t.Metric!.Value;
        foreach (var (group, shape, label) in new[]
        {
            (trials.Where(t => t.State == TrialState.Completed).ToList(), MarkerShape.FilledCircle, "completed"),
            (trials.Where(t => t.State != TrialState.Completed).ToList(), MarkerShape.OpenCircle, "stopped early"),
        })
        {
            if (group.Count == 0) continue;
            var markers = plot.Add.Markers(group.Select(x).ToArray(), group.Select(Y).ToArray(), shape, 9);
            markers.LegendText = label;
        }
        if (status.Best is { } best && trials.Any(t => t.Index == best.Index))
        {
            var mark = plot.Add.Marker(x(best), Y(best), MarkerShape.OpenCircle, 22, Colors.Red);
            mark.LegendText = $"best: trial {best.Index}, {key} = {best.Values[key]}";
        }
        if (logY) LogAxis(plot.Axes.Left, metrics);
        plot.YLabel(logY ? $"{status.Metric} (log scale)" : status.Metric);
        plot.Title(Fit($"sweep {status.SweepId}: {status.Metric} against {key}", $"{status.Metric} against {key}"));
        plot.ShowLegend(Edge.Bottom);
        return plot;
    }

    // the title, or when it would not fit the figure's width the shorter one
    private static string Fit(string title, string shorter) => title.Length <= MostTitleCharacters ? title : shorter;

    private const int MostTitleCharacters = 64;

    private static bool SpansDecade(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count > 0 && list.All(v => v > 0) && list.Max() > 10 * list.Min();
    }

    // an axis of log10 values labelled with the values; whole decades only when the values span one
    private static void LogAxis(IAxis axis, IEnumerable<double> values)
    {
        axis.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic
        {
            MinorTickGenerator = new ScottPlot.TickGenerators.LogMinorTickGenerator(),
            IntegerTicksOnly = SpansDecade(values),
            LabelFormatter = v => Math.Pow(10, v).ToString("G3", CultureInfo.InvariantCulture),
        };
    }

    private static void Guard(string folder, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(Option, $"cannot write to '{folder}': {e.Message.Split('\n', 2)[0].Trim()}");
        }
    }
}
