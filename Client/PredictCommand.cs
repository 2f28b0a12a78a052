using System.CommandLine;
using System.Text.Json;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster predict --model FILE --data FILE.csv</c>: forecasts the next horizon values after the last window of
/// the file with a model saved by <c>train --save</c>, in the column's own units (the columns read:
/// <see cref="ModelColumns"/>). Inference on one window is done here in the client; it needs no cluster.
/// </summary>
public static class PredictCommand
{
    public static Command Create(TextWriter output)
    {
        var model = new Option<string>("--model") { Description = "A model file written by train --save", Required = true };
        var data = new Option<string>("--data") { Description = "CSV file whose last rows are the input window", Required = true };
        var column = new Option<string?>("--column") { Description = "Column to read, for a model trained on the chapter's series (others know their columns: if given, it must be the one they forecast)" };
        var json = new Option<bool>("--json") { Description = "Print the forecast as JSON" };
        var command = new Command("predict", "Forecast the values after the end of a CSV series with a saved model.") { model, data, column, json };
        command.SetAction(parse =>
        {
            var saved = SavedModel.Read(parse.GetValue(model)!);
            string path = parse.GetValue(data)!;
            var names = ModelColumns.Of(saved, parse.GetValue(column)?.Trim(), Path.GetFileName(path));
            var forecast = saved.Forecast(CsvSeries.ReadColumns(path, names), path);
            if (parse.GetValue(json))
                output.WriteLine(JsonSerializer.Serialize(new { model = saved.Model, column = names[0], forecast }, JsonStyle.Line));
            else
                for (int k = 0; k < forecast.Length; k++) output.WriteLine($"t+{k + 1}  {forecast[k]:0.######}");
            return 0;
        });
        return command;
    }
}
