using System.CommandLine;
using System.Text.Json;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster predict --model FILE --data FILE.csv</c>: forecasts the next horizon values after the last window of
/// the file with a model saved by <c>train --save</c>, in the column's own units. Inference on one window is done
/// here in the client; it needs no cluster.
/// </summary>
public static class PredictCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model") { Description = "A model file written by train --save", Required = true };
        var data = new Option<string>("--data") { Description = "CSV file whose last rows are the input window", Required = true };
        var column = new Option<string?>("--column") { Description = "Column to read, for a model trained on the chapter's series (others know their columns)" };
        var json = new Option<bool>("--json") { Description = "Print the forecast as JSON" };
        var command = new Command("predict", "Forecast the values after the end of a CSV series with a saved model.") { model, data, column, json };
        command.SetAction(parse =>
        {
            var saved = SavedModel.Read(parse.GetValue(model)!);
            string path = parse.GetValue(data)!;
            var names = saved.Columns ?? [parse.GetValue(column) ?? throw new InvalidInputException("--column",
                $"missing: the model was trained on the chapter's series, so name the column of {Path.GetFileName(path)} to forecast")];
            var forecast = Forecast(saved, CsvSeries.ReadColumns(path, names), path);
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(new { model = saved.Model, column = names[0], forecast }));
            else
                for (int k = 0; k < forecast.Length; k++) output.WriteLine($"t+{k + 1}  {forecast[k]:0.######}");
            return 0;
        });
        return command;
    }

    /// <summary>columns: [features][rows] raw values -> the next horizon values of column 0, in its units.</summary>
    public static double[] Forecast(SavedModel saved, double[][] columns, string source)
    {
        int rows = columns[0].Length;
        if (rows < saved.Window)
            throw new InvalidInputException("--data", $"{Path.GetFileName(source)} has {rows} rows; the model needs a window of {saved.Window}");
        var (network, parameters) = saved.Build();
        double[] means = saved.ColumnMeans ?? new double[columns.Length];
        double[] scales = saved.ColumnScales ?? Enumerable.Repeat(1.0, columns.Length).ToArray();
        var window = SeriesWindows.Standardise(columns, rows - saved.Window, saved.Window, means, scales);
        var task = saved.Task;
        float[] values;
        if (task.Iterative)
            values = ForecastFigures.IterativeForecast(saved.Spec, parameters, new Dataset(window, new float[1], 1, saved.Window, 1, 1), task.Horizon);
        else
        {
            network.Context.Training = false;
            var output = network.Forward(parameters, window, 1);
            values = output[^task.Horizon..].ToArray();  // a sequence model's last step, or the vector itself
        }
        return values.Select(v => v * scales[0] + means[0]).ToArray();
    }
}
