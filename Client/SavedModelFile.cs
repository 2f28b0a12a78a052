using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client;

/// <summary>
/// Writes a trained model in the format <c>predict --model</c> reads (<see cref="SavedModel"/>: spec, task, window,
/// columns and their standardisation, differencing, weights in Keras layout), for <c>train --save</c> and <c>export</c> alike.
/// </summary>
public static class SavedModelFile
{
    /// <summary>Writes the file (and its folder if missing); a path that cannot be written is bad input for <paramref name="field"/>.</summary>
    public static void Write(string file, string field, string modelName, ModelSpec spec, ForecastTask task, DataSpec data, TrainedModel trained)
    {
        int window = data.IsChapter ? ChapterSeries.InputSteps : data.Window;
        int features = data.Columns?.Length ?? 1;
        var network = new Network(spec, window, features, 1);
        var columns = data.IsChapter ? null : data.ColumnNames;
        var saved = SavedModel.Create(modelName, spec, task, window, columns, trained.ColumnMeans, trained.ColumnScales,
            KerasWeights.Export(network, trained.Weights.Value), data.Differences);
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
