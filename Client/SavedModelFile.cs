using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client;

/// <summary>
/// Writes a trained model in the format <c>predict --model</c> reads (<see cref="SavedModel"/>: spec, task, window,
/// columns and their standardisation, weights in Keras layout), for <c>train --save</c> and <c>export</c> alike.
/// </summary>
public static class SavedModelFile
{
    /// <summary>Why a model of a differenced series cannot be written yet, after "a model trained with --difference ".</summary>
    public const string DifferencedReason = "cannot be saved yet (the saved format does not record the differencing, so predict would forecast the wrong units)";

    /// <summary>Writes the file (and its folder if missing); a path that cannot be written is bad input for <paramref name="field"/>.</summary>
    public static void Write(string file, string field, string modelName, ModelSpec spec, ForecastTask task, DataSpec data, TrainedModel trained)
    {
        if (data.Differences is { Length: > 0 })
            throw new InvalidInputException(field, $"a model trained with --difference {DifferencedReason}");
        int window = data.IsChapter ? ChapterSeries.InputSteps : data.Window;
        int features = data.Columns?.Length ?? 1;
        var network = new Network(spec, window, features, 1);
        var columns = data.IsChapter ? null : data.ColumnNames;
        var saved = new SavedModel(SavedModel.CurrentFormat, modelName, spec, task, window, columns, trained.ColumnMeans, trained.ColumnScales,
            KerasWeights.Export(network, trained.Weights.Value));
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(file)) is { Length: > 0 } folder) Directory.CreateDirectory(folder);
            File.WriteAllText(file, saved.ToJson());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException(field, $"cannot write '{file}': {e.Message}");
        }
    }
}
