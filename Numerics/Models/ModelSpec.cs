using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// A sequential model described by data: its layers in order. Round-trips through JSON
/// (<see cref="ToJson"/> / <see cref="FromJson"/>); this is what a client sends to the cluster.
/// </summary>
public sealed record ModelSpec(IReadOnlyList<LayerSpec> Layers)
{
    public const int MaxUnits = 1024;
    public const int MaxLayers = 32;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        WriteIndented = false,
        AllowOutOfOrderMetadataProperties = true,
    };

    /// <summary>The layer types a model file may name, as "type" gives them.</summary>
    public static IReadOnlyList<string> LayerTypes { get; } =
        [.. typeof(LayerSpec).GetCustomAttributes(typeof(JsonDerivedTypeAttribute), false).Cast<JsonDerivedTypeAttribute>().Select(a => (string)a.TypeDiscriminator!)];

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>Reads a spec; a malformed one throws <see cref="InvalidInputException"/> for <paramref name="field"/>.</summary>
    public static ModelSpec FromJson(string json, string field = "model_file")
    {
        ModelSpec? spec;
        CheckLayerTypes(json, field);
        try
        {
            spec = JsonSerializer.Deserialize<ModelSpec>(json, JsonOptions);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException)
        {
            // NotSupportedException: a layer without its "type"
            throw new InvalidInputException(field, $"not a valid model spec: {e.Message}");
        }
        if (spec?.Layers is null) throw new InvalidInputException(field, "not a valid model spec: no \"layers\" list");
        spec.Validate(field);
        return spec;
    }

    // every layer names a known type: the serializer's own message for an unknown one lists none of the allowed
    private static void CheckLayerTypes(string json, string field)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return;   // not JSON: the serializer says where
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("layers", out var layers) || layers.ValueKind != JsonValueKind.Array) return;
            int i = 0;
            foreach (var layer in layers.EnumerateArray())
            {
                string allowed = $"allowed: {string.Join(", ", LayerTypes)}";
                if (layer.ValueKind == JsonValueKind.Object)
                {
                    if (!layer.TryGetProperty("type", out var type))
                        throw new InvalidInputException(field, $"layers[{i}] has no \"type\"; {allowed}");
                    if (type.ValueKind != JsonValueKind.String || !LayerTypes.Contains(type.GetString()))
                        throw new InvalidInputException(field, $"layers[{i}].type: unknown layer type {type.GetRawText()}; {allowed}");
                }
                i++;
            }
        }
    }

    /// <summary>Checks layer count and every layer's settings; throws <see cref="InvalidInputException"/>.</summary>
    public void Validate(string field)
    {
        if (Layers.Count < 1 || Layers.Count > MaxLayers)
            throw new InvalidInputException(field, $"the model has {Layers.Count} layers; allowed 1..{MaxLayers}");
        for (int i = 0; i < Layers.Count; i++)
        {
            if (Layers[i] is null) throw new InvalidInputException(field, $"layer {i} is empty");
            Layers[i].Validate($"{field} layer {i} ({Layers[i].Kind})");
        }
    }

    /// <summary>
    /// The bytes a <see cref="Network"/> of this model keeps for blocks of <paramref name="maxBatch"/> samples of
    /// [steps, features]: every layer's buffers, and the activations and their gradients between the layers. Computed
    /// without building it, so that a request whose model would exhaust a silo's memory is refused before anything is
    /// allocated. The shape must be one <see cref="ParameterCount"/> accepts.
    /// </summary>
    public long BufferBytes(int steps, int features, int maxBatch)
    {
        long floats = 2L * maxBatch * steps * features;
        foreach (var layer in Layers)
        {
            floats += layer.BufferFloats(maxBatch, steps, features);
            (steps, features, _) = layer.Shape(steps, features);
            floats += 2L * maxBatch * steps * features;
        }
        return floats * sizeof(float);
    }

    /// <summary>
    /// The parameter count for an input of [steps, features], from the layers' shapes alone (nothing is allocated);
    /// a layer left with no time steps throws <see cref="InvalidInputException"/>.
    /// </summary>
    public long ParameterCount(int steps, int features, string field = "model")
    {
        long total = 0;
        for (int i = 0; i < Layers.Count; i++)
        {
            var (outSteps, outFeatures, parameters) = Layers[i].Shape(steps, features);
            if (outSteps < 1)
                throw new InvalidInputException(field, $"layer {i} ({Layers[i].Kind}) gets {steps} time steps and outputs none; use a longer window or a smaller kernel");
            total += parameters;
            (steps, features) = (outSteps, outFeatures);
        }
        return total;
    }

    /// <summary>The output [steps, features] for an input of [steps, features], from the layers' shapes alone.</summary>
    public (int Steps, int Features) OutputShape(int steps, int features)
    {
        foreach (var layer in Layers) (steps, features, _) = layer.Shape(steps, features);
        return (steps, features);
    }

    public bool Equals(ModelSpec? other) => other is not null && Layers.SequenceEqual(other.Layers);

    public override int GetHashCode() => Layers.Aggregate(0, (h, l) => HashCode.Combine(h, l));
}
