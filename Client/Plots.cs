using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>The chapter's figures for a finished job, as PNG files: learning curves, and the last validation window's forecast.</summary>
public static class Plots
{
    public static IReadOnlyList<string> Write(string directory, string model, JobStatus status, TrainedModel trained)
    {
        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Numerics.InvalidInputException("--plot", $"cannot create '{directory}': {e.Message}");
        }
        var files = new List<string> { Save(Curves(model, status), Path.Combine(directory, "learning-curves.png")) };
        if (trained.LastWindowInput is { } input && trained.LastWindowActual is { } actual && trained.LastWindowForecast is { } forecast)
            files.Add(Save(Forecast($"{model}: last validation window", input, actual, forecast), Path.Combine(directory, "forecast.png")));
        return files;
    }

    /// <summary>The training loss and validation MSE of every epoch, each on its own axis.</summary>
    internal static ScottPlot.Plot Curves(string model, JobStatus status)
    {
        var curves = new ScottPlot.Plot();
        double[] epochs = status.History.Select(h => (double)h.Epoch).ToArray();
        var train = Line(curves, epochs, status.History.Select(h => h.TrainLoss).ToArray());
        train.LegendText = "training loss";
        var valid = Line(curves, epochs, status.History.Select(h => h.ValidMse).ToArray());
        valid.LegendText = "validation MSE (the table's figure, right axis)";
        // the training loss is in the model's units (standardised, differenced when asked), the validation MSE in the
        // series' own: each on its own axis
        valid.Axes.YAxis = curves.Axes.Right;
        curves.Title($"{model}: learning curves");
        curves.XLabel("epoch");
        curves.YLabel("training loss (model units)");
        curves.Axes.Right.Label.Text = "validation MSE (series' units)";
        curves.ShowLegend(ScottPlot.Edge.Bottom);   // below the axes: it never hides a curve
        return curves;
    }

    /// <summary>
    /// A last validation window: its inputs (at time steps before 0), the actual next values and the forecast (dashed),
    /// in the series' units.
    /// </summary>
    internal static ScottPlot.Plot Forecast(string title, double[] input, double[] actual, double[] forecast)
    {
        var plot = new ScottPlot.Plot();
        var history = Line(plot, Enumerable.Range(-input.Length, input.Length).Select(t => (double)t).ToArray(), input);
        history.LegendText = "input window";
        var truth = Line(plot, Enumerable.Range(0, actual.Length).Select(t => (double)t).ToArray(), actual);
        truth.LegendText = "actual";
        var predicted = Line(plot, Enumerable.Range(0, forecast.Length).Select(t => (double)t).ToArray(), forecast);
        predicted.LegendText = "forecast";
        predicted.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title(title);
        plot.XLabel("time step (0 = first forecast)");
        plot.YLabel("series' units");
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return plot;
    }

    /// <summary>
    /// A line through the points whose y is finite: a diverged loss or an overflowed forecast is left out, as it would
    /// otherwise take the axis' range with it.
    /// </summary>
    internal static ScottPlot.Plottables.Scatter Line(ScottPlot.Plot plot, double[] xs, double[] ys)
    {
        int[] finite = [.. Enumerable.Range(0, ys.Length).Where(i => double.IsFinite(ys[i]))];
        return plot.Add.Scatter(finite.Select(i => xs[i]).ToArray(), finite.Select(i => ys[i]).ToArray());
    }

    internal static string Save(ScottPlot.Plot plot, string path)
    {
        plot.SavePng(path, 800, 500);
        return path;
    }
}
