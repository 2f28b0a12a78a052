using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Training;

/// <summary>
/// MSE and predictions of a model over a whole dataset, in batches of the configured size taken in order, each
/// batch's loss summed along the <see cref="GradientTree"/> and the batches added in order: the same figure
/// whoever computes it.
/// </summary>
public sealed class Evaluator
{
    private readonly SubtreeGradients _tree;
    private readonly int _batchSize;
    private int[] _indices = [];

    /// <summary>The bytes of the network an evaluator builds, computed without building it.</summary>
    public static long NetworkBytes(ModelSpec spec, Dataset shape, int batchSize) =>
        SubtreeGradients.NetworkBytes(spec, shape.Steps, shape.Features, GradientTree.SlotCount(batchSize));

    public Evaluator(ModelSpec spec, Dataset shape, int batchSize)
    {
        _batchSize = batchSize;
        _tree = new SubtreeGradients(spec, shape.Steps, shape.Features, shape.TargetSize, GradientTree.SlotCount(batchSize), withGradients: false);
    }

    // parameters: [parameters] -> mean over samples of each sample's MSE
    public double Mse(ReadOnlySpan<float> parameters, Dataset data)
    {
        if (data.Count == 0) return double.NaN;
        if (_indices.Length < data.Count) _indices = Enumerable.Range(0, data.Count).ToArray();
        double sum = 0;
        for (int start = 0; start < data.Count; start += _batchSize)
        {
            int n = Math.Min(_batchSize, data.Count - start);
            sum += _tree.ComputeLoss(parameters, data, _indices.AsSpan(start, n), 0);
        }
        return sum / data.Count;
    }

    /// <summary>
    /// The measure of every epoch and of the final weights, in the model's units: the MSE of the forecast of the next
    /// horizon values after each window (<see cref="ForecastFigures.ModelUnitsMse"/>), so that times the split's
    /// TargetScale squared it is the reported figure. For vector targets of a series not differenced that is the
    /// training loss itself, computed as <see cref="Mse"/> does.
    /// </summary>
    public double ForecastMse(ReadOnlySpan<float> parameters, DataSplit split, Dataset data)
    {
        if (split.SequenceHorizon is null && split.Differencing is null) return Mse(parameters, data);
        return data.Count == 0 ? double.NaN : ForecastFigures.ModelUnitsMse(split, data, Predict(parameters, data));
    }

    // parameters: [parameters] -> [count, targetSize]
    public float[] Predict(ReadOnlySpan<float> parameters, Dataset data)
    {
        var network = _tree.Network;
        network.Context.Training = false;
        var predictions = new float[data.Count * network.OutputSize];
        for (int start = 0; start < data.Count; start += network.MaxBatch)
        {
            int n = Math.Min(network.MaxBatch, data.Count - start);
            var output = network.Forward(parameters, data.Inputs.AsSpan(start * data.InputSize, n * data.InputSize), n);
            output.CopyTo(predictions.AsSpan(start * network.OutputSize));
        }
        return predictions;
    }
}
