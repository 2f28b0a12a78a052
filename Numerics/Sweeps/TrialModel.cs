using System.Globalization;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// A trial's model: the catalogue model with the trial's units, layers, cell and dropout rates applied to its hidden
/// recurrent layers, the recurrent layers (SimpleRNN, LSTM, GRU, layer-normalised SimpleRNN) other than the model's
/// last layer, which is its output and is left alone (deep-rnn's SimpleRNN(1)). Layers first makes the hidden block
/// that many copies of its first layer, each returning sequences but the new last one, which returns what the old
/// last one did (so the layer after the block gets the same shape); then every hidden layer gets the cell (keeping
/// units, return_sequences and the dropout rates where the new kind has them), the units and the dropout rates.
/// </summary>
public static class TrialModel
{
    /// <summary>
    /// The model for <paramref name="config"/>; a key the model cannot take (units for linear, dropout for the
    /// layer-normalised cell) throws <see cref="InvalidInputException"/> naming the key ("space.units") and the model
    /// (<paramref name="modelName"/>, else the config's model, else the model's layer kinds).
    /// </summary>
    public static ModelSpec Apply(ModelSpec baseModel, TrialConfig config, string? modelName = null)
    {
        ArgumentNullException.ThrowIfNull(baseModel);
        ArgumentNullException.ThrowIfNull(config);
        string model = modelName ?? config.Model ?? $"[{LayerKinds(baseModel.Layers)}]";
        var layers = baseModel.Layers.ToList();
        var hidden = HiddenRecurrent(layers);
        if (hidden.Count == 0)
        {
            var key = ChangedKeys(config).FirstOrDefault();
            if (key is null) return baseModel;
            throw new InvalidInputException(key.Field,
                $"model {model} has no hidden recurrent layer to change (its layers: {LayerKinds(layers)}; the last one is the output); {key.Name} applies to models with recurrent layers before the output");
        }
        if (config.Cell is string cell && !SpaceKey.CellNames.Contains(cell))
            throw new InvalidInputException(SpaceKey.CellKey.Field, $"unknown cell '{cell}'; allowed: {string.Join(", ", SpaceKey.CellNames)}");
        if (config.Layers is int count)
        {
            layers = Resize(layers, hidden, count, model);
            hidden = HiddenRecurrent(layers);
        }
        foreach (int i in hidden)
        {
            var settings = RecurrentLayerSettings.Of(layers[i])!;
            if (config.Cell is string kind) settings = settings with { Kind = kind };
            if (config.Units is int units) settings = settings with { Units = units };
            if (config.Dropout is float dropout)
                settings = settings with { Dropout = CheckedRate(settings, dropout, SpaceKey.DropoutKey, model) };
            if (config.RecurrentDropout is float recurrentDropout)
                settings = settings with { RecurrentDropout = CheckedRate(settings, recurrentDropout, SpaceKey.RecurrentDropoutKey, model) };
            layers[i] = settings.ToSpec();
        }
        var spec = new ModelSpec(layers);
        spec.Validate("space");
        return spec;
    }

    /// <summary>The indices of the recurrent layers before the last layer.</summary>
    private static List<int> HiddenRecurrent(IReadOnlyList<LayerSpec> layers) =>
        [.. Enumerable.Range(0, layers.Count - 1).Where(i => RecurrentLayerSettings.Of(layers[i]) is not null)];

    private static List<LayerSpec> Resize(List<LayerSpec> layers, List<int> hidden, int count, string model)
    {
        int first = hidden[0], last = hidden[^1];
        if (last - first + 1 != hidden.Count)
            throw new InvalidInputException(SpaceKey.LayersKey.Field,
                $"model {model}'s hidden recurrent layers are not one block (layers: {LayerKinds(layers)}); layers resizes a single block");
        var template = RecurrentLayerSettings.Of(layers[first])!;
        bool lastReturnsSequences = RecurrentLayerSettings.Of(layers[last])!.ReturnSequences;
        var block = Enumerable.Range(0, count)
            .Select(i => (template with { ReturnSequences = i < count - 1 || lastReturnsSequences }).ToSpec());
        return [.. layers.Take(first), .. block, .. layers.Skip(last + 1)];
    }

    private static float CheckedRate(RecurrentLayerSettings settings, float rate, SpaceKey key, string model)
    {
        if (!settings.HasDropout && rate != 0)
            throw new InvalidInputException(key.Field,
                $"{rate.ToString(CultureInfo.InvariantCulture)}: model {model}'s {settings.Kind} layers take no {key.Name}; allowed 0 with that cell");
        return rate;
    }

    private static IEnumerable<SpaceKey> ChangedKeys(TrialConfig config) =>
        new[] { SpaceKey.UnitsKey, SpaceKey.LayersKey, SpaceKey.CellKey, SpaceKey.DropoutKey, SpaceKey.RecurrentDropoutKey }
            .Where(key => config.ValueOf(key) is not null);

    private static string LayerKinds(IEnumerable<LayerSpec> layers) => string.Join(", ", layers.Select(l => l.Kind));
}
