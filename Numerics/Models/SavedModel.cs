using System.Text.Json;
using System.Text.Json.Serialization;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// A trained model as <c>train --save</c> writes it and <c>predict</c> reads it (JSON): the catalogue name, the
/// <see cref="ModelSpec"/>, the task, the input window, the preprocessing (the columns and their training means and
/// scales; none for the chapter's series), the differencing periods (a model of a differenced series: format
/// <see cref="DifferencedFormat"/>, which a reader of <see cref="CurrentFormat"/> only refuses) and the weights by
/// Keras name in Keras layout.
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
    Dictionary<string, KerasTensor> Weights,
    int[]? Differences = null)
{
    public const string CurrentFormat = "rnncluster-model/1";

    /// <summary>The format of a model trained on a differenced series (it adds <see cref="Differences"/>).</summary>
    public const string DifferencedFormat = "rnncluster-model/2";

    /// <summary>A model to write: the format follows from whether it was trained on a differenced series.</summary>
    public static SavedModel Create(string model, ModelSpec spec, ForecastTask task, int window, string[]? columns, double[]? columnMeans,
        double[]? columnScales, Dictionary<string, KerasTensor> weights, int[]? differences) =>
        new(differences is { Length: > 0 } ? DifferencedFormat : CurrentFormat, model, spec, task, window, columns, columnMeans, columnScales, weights,
            differences is { Length: > 0 } ? differences : null);

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
        if (!File.Exists(path)) throw new InvalidInputException("model", $"file '{path}' does not exist");
        SavedModel? model;
        try
        {
            model = JsonSerializer.Deserialize<SavedModel>(File.ReadAllText(path), JsonOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            // NotSupportedException: a layer of its spec without its "type" (as in ModelSpec.FromJson)
            throw new InvalidInputException("model", $"'{path}' is not a saved model: {e.Message}");
        }
        bool differenced = model?.Format == DifferencedFormat;
        if (model?.Format is not (CurrentFormat or DifferencedFormat) || model.Spec is null || model.Task is null || model.Weights is null
            || differenced != model.Differences is { Length: > 0 })
            throw new InvalidInputException("model", $"'{path}' is not a saved model of format {CurrentFormat} or {DifferencedFormat} (with its differences)");
        if (model.Differences?.Any(p => p < 1) == true)
            throw new InvalidInputException("model", $"'{path}' has a differencing period below 1");
        model.Spec.Validate("model");
        model.Task.Validate();
        model.Task.ValidateWindow(model.Window);
        return model;
    }

    /// <summary>Rows a forecast reads before it: the window, plus the values differencing drops.</summary>
    [JsonIgnore]
    public int HistoryLength => Window + (Differences?.Sum() ?? 0);

    /// <summary>The flat parameter vector for this model's network.</summary>
    public (Network Network, float[] Parameters) Build()
    {
        int features = Columns?.Length ?? 1;
        var network = new Network(Spec, Window, features, 1);   // one window at a time
        return (network, KerasWeights.Import(network, Weights));
    }

    /// <summary>
    /// columns: [features][rows] raw values -> the next horizon values of column 0, in its units. A model of a
    /// differenced series reads the last window of the differenced columns and its forecast is undone (<see cref="Differencing"/>).
    /// </summary>
    public double[] Forecast(double[][] columns, string source)
    {
        int rows = columns[0].Length;
        int dropped = Differences?.Sum() ?? 0;
        if (rows < Window + dropped)
            throw new InvalidInputException("data", dropped == 0
                ? $"{Path.GetFileName(source)} has {rows} rows; the model needs a window of {Window}"
                : $"{Path.GetFileName(source)} has {rows} rows; the model needs a window of {Window} after differencing by {string.Join(" then ", Differences!)} ({Window + dropped} rows)");
        var differencing = Differences is { Length: > 0 } ? new Differencing(columns[0], Differences) : null;
        var inputs = differencing is null ? columns : [.. columns.Select(differencing.Apply)];
        for (int c = 0; c < inputs.Length; c++)
            if (inputs[c][^Window..].Any(double.IsNaN))
                throw new InvalidInputException("data",
                    $"the last {HistoryLength} rows of {Path.GetFileName(source)}, the model's input, hold a gap (an empty cell) in column {Columns?[c] ?? "given"}; "
                    + "fill the gaps first (rnncluster impute) or forecast from a file that ends with a whole window");
        var (network, parameters) = Build();
        double[] means = ColumnMeans ?? new double[columns.Length];
        double[] scales = ColumnScales ?? Enumerable.Repeat(1.0, columns.Length).ToArray();
        var window = SeriesWindows.Standardise(inputs, inputs[0].Length - Window, Window, means, scales);
        float[] values;
        if (Task.Iterative)
            values = IterativeForecast.Of(Spec, parameters, new Dataset(window, new float[1], 1, Window, 1, 1), Task.Horizon);
        else
        {
            network.Context.Training = false;
            var output = network.Forward(parameters, window, 1);
            values = output[^Task.Horizon..].ToArray();  // a sequence model's last step, or the vector itself
        }
        var forecast = values.Select(v => v * scales[0] + means[0]).ToArray();
        var undone = differencing is null ? forecast : differencing.Undo(rows, forecast);
        if (undone.Any(double.IsNaN))
            throw new InvalidInputException("data",
                $"the forecast adds back values a period before it that are gaps (empty cells) in {Path.GetFileName(source)}; fill the gaps first (rnncluster impute)");
        return undone;
    }
}
