using System.Text.Json;
using System.Text.Json.Serialization;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// A trained model as <c>train --save</c> writes it and <c>predict</c> reads it (JSON): the catalogue name, the
/// <see cref="ModelSpec"/>, the task, the input window, the preprocessing (the columns and their training means and
/// scales; none for the chapter's series) and the weights by Keras name in Keras layout.
/// </summary>
public sealed record SavedModel(
    string Format,
    string Model,
    ModelSpec Spec,
    ForecastTask Task,
    int Window,
    string[]? Columns,
    double[]? ColumnMeans,
    double[]? ColumnScales,
    Dictionary<string, KerasTensor> Weights)
{
    public const string CurrentFormat = "rnncluster-model/1";

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a saved model; anything malformed throws <see cref="InvalidInputException"/> for --model.</summary>
    public static SavedModel Read(string path)
    {
        if (!File.Exists(path)) throw new InvalidInputException("--model", $"file '{path}' does not exist");
        SavedModel? model;
        try
        {
            model = JsonSerializer.Deserialize<SavedModel>(File.ReadAllText(path), JsonOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            // NotSupportedException: a layer of its spec without its "type" (as in ModelSpec.FromJson)
            throw new InvalidInputException("--model", $"'{path}' is not a saved model: {e.Message}");
        }
        if (model?.Format != CurrentFormat || model.Spec is null || model.Task is null || model.Weights is null)
            throw new InvalidInputException("--model", $"'{path}' is not a saved model of format {CurrentFormat}");
        model.Spec.Validate("--model");
        model.Task.Validate();
        model.Task.ValidateWindow(model.Window);
        return model;
    }

    /// <summary>The flat parameter vector for this model's network.</summary>
    public (Network Network, float[] Parameters) Build()
    {
        int features = Columns?.Length ?? 1;
        var network = new Network(Spec, Window, features, 1);   // one window at a time
        return (network, KerasWeights.Import(network, Weights));
    }

    /// <summary>columns: [features][rows] raw values -> the next horizon values of column 0, in its units.</summary>
    public double[] Forecast(double[][] columns, string source)
    {
        int rows = columns[0].Length;
        if (rows < Window)
            throw new InvalidInputException("--data", $"{Path.GetFileName(source)} has {rows} rows; the model needs a window of {Window}");
        var (network, parameters) = Build();
        double[] means = ColumnMeans ?? new double[columns.Length];
        double[] scales = ColumnScales ?? Enumerable.Repeat(1.0, columns.Length).ToArray();
        var window = SeriesWindows.Standardise(columns, rows - Window, Window, means, scales);
        float[] values;
        if (Task.Iterative)
            values = Training.ForecastFigures.IterativeForecast(Spec, parameters, new Dataset(window, new float[1], 1, Window, 1, 1), Task.Horizon);
        else
        {
            network.Context.Training = false;
            var output = network.Forward(parameters, window, 1);
            values = output[^Task.Horizon..].ToArray();  // a sequence model's last step, or the vector itself
        }
        return values.Select(v => v * scales[0] + means[0]).ToArray();
    }
}
