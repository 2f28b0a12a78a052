namespace RnnCluster.Numerics.Models;

/// <summary>
/// A model's weights by Keras name ("simple_rnn_1/recurrent_kernel", "gru/bias", ...) with Keras's shapes and layouts,
/// to and from the flat parameter vector: what a user needs to load the same weights into Keras (layer.set_weights)
/// or to bring Keras's weights here. The flat vector already holds every tensor in Keras's layout, so both
/// directions are plain copies and round-trip exactly.
/// </summary>
public static class KerasWeights
{
    public static Dictionary<string, KerasTensor> Export(Network network, ReadOnlySpan<float> parameters)
    {
        var tensors = new Dictionary<string, KerasTensor>();
        foreach (var view in network.Views)
            tensors[view.Name] = new KerasTensor((int[])view.Shape.Clone(), parameters.Slice(view.Offset, view.Size).ToArray());
        return tensors;
    }

    /// <summary>The flat vector for <paramref name="network"/>; a missing, unknown or misshapen tensor throws <see cref="InvalidInputException"/>.</summary>
    public static float[] Import(Network network, IReadOnlyDictionary<string, KerasTensor> tensors, string field = "model")
    {
        var parameters = new float[network.ParameterCount];
        foreach (var view in network.Views)
        {
            if (!tensors.TryGetValue(view.Name, out var tensor))
                throw new InvalidInputException(field, $"weights '{view.Name}' are missing; expected {Shape(view.Shape)}");
            if (!tensor.Shape.SequenceEqual(view.Shape) || tensor.Values.Length != view.Size)
                throw new InvalidInputException(field, $"weights '{view.Name}' have shape {Shape(tensor.Shape)} and {tensor.Values.Length} values; expected {Shape(view.Shape)}");
            tensor.Values.CopyTo(parameters, view.Offset);
        }
        var unknown = tensors.Keys.Except(network.Views.Select(v => v.Name)).ToArray();
        if (unknown.Length > 0) throw new InvalidInputException(field, $"weights '{unknown[0]}' belong to no layer of this model");
        return parameters;
    }

    private static string Shape(int[] shape) => $"[{string.Join(", ", shape)}]";
}
