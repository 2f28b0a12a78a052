using Orleans.Concurrency;
using RnnCluster.Grains.Interfaces;
using ScottPlot.Plottables;

namespace RnnCluster.Client.Tests;

/// <summary>
/// The figures <c>train --plot</c> writes, from a status made here: a figure that is not finite (an overflowed
/// validation MSE, a NaN loss, an infinite forecast) is left out of its line, so the axes keep the range of the others;
/// a line with none left is empty, and the figure is still written.
/// </summary>
public sealed class TrainPlotTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-train-plot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly JobStatus Status = new("job-1", JobState.Completed, "deep-rnn", 3, 3, 30,
        [new EpochSummary(1, 0.25, 0.125, 1.5), new EpochSummary(2, double.NaN, double.PositiveInfinity, 3.0), new EpochSummary(3, 0.2, 0.1, 4.5)],
        "0123456789abcdef", double.PositiveInfinity, double.NaN, ["silo-a:11111"], null);

    private static (double X, double Y)[] Points(Scatter line) => [.. line.Data.GetScatterPoints().Select(p => (p.X, p.Y))];

    [Fact]
    public void Curves_leave_out_the_epochs_whose_figure_is_not_finite()
    {
        var plot = Plots.Curves("deep-rnn", Status);
        var lines = plot.GetPlottables<Scatter>().ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal([(1.0, 0.25), (3.0, 0.2)], Points(lines[0]));
        Assert.Equal([(1.0, 0.125), (3.0, 0.1)], Points(lines[1]));
        plot.Axes.AutoScale();
        var right = plot.Axes.Right.Range;
        Assert.True(right.Min > 0.05 && right.Max < 0.2, $"the validation axis spans {right.Min}..{right.Max}, not the figures'");
    }

    [Fact]
    public void A_forecast_that_is_not_finite_is_left_out_and_both_figures_are_written()
    {
        var plot = Plots.Forecast("window", [0.1, 0.2, 0.3], [0.4, 0.5], [double.PositiveInfinity, 0.45]);
        var forecast = plot.GetPlottables<Scatter>().Single(l => l.LegendText == "forecast");
        Assert.Equal([(1.0, 0.45)], Points(forecast));

        var trained = new TrainedModel(new Immutable<float[]>([0.5f]), null, null, [0.1, 0.2, 0.3], [0.4, 0.5], [double.PositiveInfinity, 0.45]);
        var files = Plots.Write(_dir, "deep-rnn", Status, trained);
        Assert.Equal(["learning-curves.png", "forecast.png"], files.Select(f => Path.GetFileName(f)));
        Assert.All(files, f => Assert.True(new FileInfo(f).Length > 1000, $"{f} has only {new FileInfo(f).Length} bytes"));
    }

    [Fact]
    public void A_curve_with_no_finite_figure_is_an_empty_line_and_the_figure_is_still_written()
    {
        var diverged = Status with { History = [new EpochSummary(1, double.NaN, double.NaN, 1.5)] };
        var lines = Plots.Curves("deep-rnn", diverged).GetPlottables<Scatter>().ToList();
        Assert.All(lines, line => Assert.Empty(Points(line)));

        var files = Plots.Write(_dir, "deep-rnn", diverged, new TrainedModel(new Immutable<float[]>([0.5f]), null, null));
        Assert.Equal(["learning-curves.png"], files.Select(f => Path.GetFileName(f)));
        Assert.True(new FileInfo(files[0]).Length > 1000);
    }
}
