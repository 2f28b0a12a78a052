using RnnCluster.Grains;
using System.Text.Json;
using Orleans.Concurrency;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client.Tests;

/// <summary>
/// What <c>export</c> writes from a job's export (made here, as a cluster's job would answer): the <c>train --save</c>
/// format, which <c>predict</c> reads, saying whether the weights are the finished job's or a checkpoint's.
/// </summary>
public sealed class ExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // a linear model of 7 daily maximum temperatures, 3 days ahead, with weights that are not all alike
    private static JobExport LinearExport(bool final, int[]? differences = null)
    {
        string csv = Repository.ExampleData("seattle-weather.csv");
        var values = CsvSeries.ReadColumn(csv, "temp_max");
        var task = new ForecastTask(ForecastKind.Vector, 3);
        var spec = ModelCatalogue.Find("linear").SpecFor(task)!;
        int count = (int)spec.ParameterCount(7, 1);
        var weights = Enumerable.Range(0, count).Select(i => (float)((i % 5) - 2) * 0.05f).ToArray();
        var data = new DataSpec(42, "seattle-weather.csv column temp_max", [values], 7, ["temp_max"], differences);
        var trained = new TrainedModel(new Immutable<float[]>(weights), [values.Average()], [5.0]);
        return new JobExport(null, "linear", spec.ToJson(), TaskSpecs.From(task), data, trained, Step: 500, Final: final);
    }

    [Fact]
    public void A_finished_jobs_export_is_a_model_file_that_predict_reads()
    {
        string file = Path.Combine(_dir, "model.json");
        string line = ExportCommand.Write(LinearExport(final: true), "job-1", file);
        Assert.Equal($"wrote {file}: the weights of finished job job-1 (step 500)", line);

        string csv = Repository.ExampleData("seattle-weather.csv");
        var predict = CliRun.Of("predict", "--model", file, "--data", csv, "--json");
        Assert.True(predict.ExitCode == 0, predict.Error);
        var forecast = JsonDocument.Parse(predict.Output).RootElement.GetProperty("forecast").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        // by hand, from the file: standardise the last 7 values, y = x K + b, back to degrees
        var saved = SavedModel.Read(file);
        var values = CsvSeries.ReadColumn(csv, "temp_max");
        var kernel = saved.Weights["dense/kernel"].Values;
        var bias = saved.Weights["dense/bias"].Values;
        double mean = saved.ColumnMeans![0], scale = saved.ColumnScales![0];
        Assert.Equal(5.0, scale);
        Assert.Equal(3, forecast.Length);
        for (int k = 0; k < 3; k++)
        {
            double y = bias[k];
            for (int t = 0; t < 7; t++) y += (float)((values[values.Length - 7 + t] - mean) / scale) * (double)kernel[t * 3 + k];
            Assert.Equal(y * scale + mean, forecast[k], 3);
        }
        // the exported weights are the job's, all of them
        Assert.Equal(LinearExport(true).Model!.Weights.Value.Order(), kernel.Concat(bias).Order());
    }

    [Fact]
    public void A_checkpoints_export_says_so()
    {
        string file = Path.Combine(_dir, "checkpoint.json");
        Assert.Equal($"wrote {file}: the weights of job job-1's last checkpoint (step 500), not of a finished job",
            ExportCommand.Write(LinearExport(final: false), "job-1", file));
        Assert.Equal("linear", SavedModel.Read(file).Model);
    }

    [Fact]
    public void A_differenced_jobs_export_records_the_differencing_and_predict_undoes_it()
    {
        string file = Path.Combine(_dir, "differenced.json");
        ExportCommand.Write(LinearExport(true, [1]), "job-1", file);
        Assert.Equal([1], SavedModel.Read(file).Differences ?? []);

        string csv = Repository.ExampleData("seattle-weather.csv");
        var predict = CliRun.Of("predict", "--model", file, "--data", csv, "--json");
        Assert.True(predict.ExitCode == 0, predict.Error);
        var forecast = JsonDocument.Parse(predict.Output).RootElement.GetProperty("forecast").EnumerateArray().Select(e => e.GetDouble()).ToArray();

        // by hand: the model forecasts the next 3 differences from the last 7 (standardised), added up from the last value
        var saved = SavedModel.Read(file);
        var values = CsvSeries.ReadColumn(csv, "temp_max");
        var diffs = values.Skip(1).Zip(values, (a, b) => a - b).ToArray();
        var kernel = saved.Weights["dense/kernel"].Values;
        var bias = saved.Weights["dense/bias"].Values;
        double mean = saved.ColumnMeans![0], scale = saved.ColumnScales![0];
        double level = values[^1];
        for (int k = 0; k < 3; k++)
        {
            double y = bias[k];
            for (int t = 0; t < 7; t++) y += (float)((diffs[diffs.Length - 7 + t] - mean) / scale) * (double)kernel[t * 3 + k];
            level += y * scale + mean;
            Assert.Equal(level, forecast[k], 3);
        }
    }
}
