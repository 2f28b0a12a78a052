using System.Text.Json.Serialization;
using RnnCluster.Numerics.Layers;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// A layer described by data: its kind (the JSON "type") and settings, as in a Keras config.
/// <see cref="Build"/> makes the layer for a given input shape.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DenseSpec), "dense")]
[JsonDerivedType(typeof(FlattenSpec), "flatten")]
[JsonDerivedType(typeof(SimpleRnnSpec), "simple_rnn")]
[JsonDerivedType(typeof(LstmSpec), "lstm")]
[JsonDerivedType(typeof(GruSpec), "gru")]
[JsonDerivedType(typeof(Conv1DSpec), "conv1d")]
[JsonDerivedType(typeof(LnSimpleRnnSpec), "ln_simple_rnn")]
public abstract record LayerSpec
{
    /// <summary>The Keras-style base name of layers of this kind ("dense", "simple_rnn").</summary>
    [JsonIgnore]
    public abstract string Kind { get; }

    /// <summary>Checks the settings; throws <see cref="InvalidInputException"/> naming the field.</summary>
    public abstract void Validate(string field);

    public abstract Layer Build(string name, int maxBatch, int steps, int features);

    /// <summary>The output shape and parameter count for an input of [steps, features], computed without building
    /// the layer (so a request for a huge model is refused before anything is allocated).</summary>
    public abstract (int Steps, int Features, long Parameters) Shape(int steps, int features);

    /// <summary>The floats the layer keeps for blocks of <paramref name="maxBatch"/> samples of [steps, features] (its
    /// caches for backpropagation), computed without building it.</summary>
    public abstract long BufferFloats(int maxBatch, int steps, int features);

    protected static void CheckUnits(string field, int units)
    {
        if (units < 1 || units > ModelSpec.MaxUnits)
            throw new InvalidInputException(field, $"units is {units}; allowed 1..{ModelSpec.MaxUnits}");
    }

    protected static void CheckDropout(string field, float dropout, float recurrentDropout)
    {
        if (!(dropout >= 0 && dropout < 1)) throw new InvalidInputException(field, $"dropout is {dropout}; allowed [0, 1)");
        if (!(recurrentDropout >= 0 && recurrentDropout < 1))
            throw new InvalidInputException(field, $"recurrent_dropout is {recurrentDropout}; allowed [0, 1)");
    }
}

/// <summary>Dense(units) on every time step (on the last state when the layer before returns one step).</summary>
public sealed record DenseSpec(int Units) : LayerSpec
{
    [JsonIgnore]
    public override string Kind => "dense";
    public override void Validate(string field) => CheckUnits(field, Units);
    public override Layer Build(string name, int maxBatch, int steps, int features) => new Dense(name, maxBatch, steps, features, Units);
    public override (int Steps, int Features, long Parameters) Shape(int steps, int features) => (steps, Units, (long)features * Units + Units);
    public override long BufferFloats(int maxBatch, int steps, int features) => Dense.BufferFloats(features, Units);
}

/// <summary>Flatten: [steps, features] to one step of steps * features.</summary>
public sealed record FlattenSpec : LayerSpec
{
    [JsonIgnore]
    public override string Kind => "flatten";
    public override void Validate(string field) { }
    public override Layer Build(string name, int maxBatch, int steps, int features) => new Flatten(name, maxBatch, steps, features);
    public override (int Steps, int Features, long Parameters) Shape(int steps, int features) => (1, steps * features, 0);
    public override long BufferFloats(int maxBatch, int steps, int features) => 0;
}
