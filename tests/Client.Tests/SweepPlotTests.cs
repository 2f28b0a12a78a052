using Orleans.Concurrency;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;

namespace RnnCluster.Client.Tests;

/// <summary>
/// The figures <c>sweep --plot</c> writes: from a sweep status made here, the learning curves, the metric against every
/// searched key (a key with one value is not searched) and, given the best trial's model, its forecast, each a PNG;
/// a folder that cannot be written is bad input naming --plot; and a small real sweep on the embedded silo with
/// --plot writes its three figures.
/// </summary>
public sealed class SweepPlotTests : IDisposable
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-sweep-plot-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TrainedModel Window() =>
        new(new Immutable<float[]>([0.5f]), null, null, [0.1, 0.2, 0.3, 0.4, 0.5], [0.6, 0.7], [0.55, 0.72]);

    private static void AssertPng(string path)
    {
        Assert.True(File.Exists(path), $"{path} was not written");
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 1000, $"{Path.GetFileName(path)} has only {bytes.Length} bytes");
        Assert.Equal(PngSignature, bytes[..8]);
        // the IHDR chunk: width and height, big-endian, as Plots saves them
        Assert.Equal(800, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)));
        Assert.Equal(500, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    private static string[] Names(string folder) => [.. Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Writes_the_curves_a_figure_a_searched_key_and_the_best_forecast()
    {
        string folder = Path.Combine(_dir, "new", "plots");
        var files = SweepPlots.Write(folder, SweepStatuses.Mixed(), Window());

        string[] expected = ["learning-curves.png", "metric-vs-learning_rate.png", "metric-vs-units.png", "best-forecast.png"];
        Assert.Equal(expected.Select(name => Path.Combine(folder, name)), files);
        Assert.Equal(expected.Order(StringComparer.Ordinal), Names(folder));
        foreach (var file in files) AssertPng(file);
    }

    [Fact]
    public void A_key_with_one_value_is_not_plotted_nor_is_a_forecast_without_a_model()
    {
        var status = SweepStatuses.Mixed();
        // every trial at the same learning rate: only units (16 against 32) was searched
        var same = status with { Trials = [.. status.Trials.Select(t => t with { Values = new(t.Values) { ["learning_rate"] = "0.01" } })] };

        var files = SweepPlots.Write(_dir, same, best: null);

        Assert.Equal(["learning-curves.png", "metric-vs-units.png"], files.Select(f => Path.GetFileName(f)));
        Assert.Equal(["units"], SweepPlots.SearchedKeys(same));
        foreach (var file in files) AssertPng(file);
    }

    [Fact]
    public void Names_are_plotted_as_categories_and_a_running_sweep_plots_what_has_finished()
    {
        var running = SweepStatuses.Running(finished: 2, seconds: 10);
        string[] models = ["linear", "simple_rnn", "lstm", "gru"];
        var named = running with { Trials = [.. running.Trials.Select(t => t with { Values = new() { ["model"] = models[t.Index] } })] };

        var files = SweepPlots.Write(_dir, named, best: null);

        Assert.Equal(["learning-curves.png", "metric-vs-model.png"], files.Select(f => Path.GetFileName(f)));
        foreach (var file in files) AssertPng(file);
    }

    [Fact]
    public void A_sweep_without_a_finished_trial_has_only_its_learning_curves()
    {
        var files = SweepPlots.Write(_dir, SweepStatuses.Running(finished: 0, seconds: 1), Window());
        Assert.Equal(["learning-curves.png"], files.Select(f => Path.GetFileName(f)));
        AssertPng(files[0]);
    }

    [Fact]
    public void A_folder_that_cannot_be_written_is_bad_input_naming_plot()
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "not a folder");

        var e = Assert.Throws<InvalidInputException>(() => SweepPlots.Write(Path.Combine(file, "plots"), SweepStatuses.Mixed(), null));
        Assert.Equal("--plot", e.Field);

        // the command refuses it before it starts the sweep
        string spec = Path.Combine(_dir, "sweep.json");
        File.WriteAllText(spec, """{ "model": "linear", "space": { "learning_rate": { "values": [0.001, 0.01] }, "epochs": 1 } }""");
        var run = CliRun.Of("sweep", spec, "--plot", Path.Combine(file, "plots"));
        Assert.Equal(Cli.BadInput, run.ExitCode);
        Assert.StartsWith("error: --plot: cannot write to ", run.Error);
        Assert.DoesNotContain("cluster:", run.Output);
    }

    [Fact]
    public void A_grid_of_two_learning_rates_with_plot_writes_its_three_figures()
    {
        string spec = Path.Combine(_dir, "sweep.json");
        File.WriteAllText(spec, """
            {
              "model": "linear",
              "search": "grid",
              "seeds_per_config": 1,
              "space": { "learning_rate": { "values": [0.001, 0.01] }, "epochs": 2 }
            }
            """);
        string folder = Path.Combine(_dir, "figures");

        var run = CliRun.Of("sweep", spec, "--sweep-id", "e2e-plot", "--plot", folder);

        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}\n{run.Output}");
        string[] expected = ["learning-curves.png", "metric-vs-learning_rate.png", "best-forecast.png"];
        Assert.Equal(expected.Order(StringComparer.Ordinal), Names(folder));
        foreach (var name in expected)
        {
            AssertPng(Path.Combine(folder, name));
            Assert.Contains($"plotted {Path.Combine(folder, name)}", run.Output);
        }
    }
}
