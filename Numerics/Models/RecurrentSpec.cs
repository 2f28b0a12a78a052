using System.Text.Json.Serialization;
using RnnCluster.Numerics.Layers;
using RnnCluster.Numerics.Layers.Cells;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// A recurrent layer, as Keras's RNN(cell, return_sequences): a <see cref="Recurrent"/> layer running the cell of
/// <see cref="Cell"/>, whose weights give the parameter count. The records below differ only in their cell and kind.
/// In the JSON, units and return_sequences come first, before what a derived record adds.
/// </summary>
public abstract record RecurrentSpec([property: JsonPropertyOrder(-2)] int Units, [property: JsonPropertyOrder(-1)] bool ReturnSequences)
    : LayerSpec
{
    /// <summary>The cell for inputs of <paramref name="features"/> features (cheap: its caches are made by the layer).</summary>
    public abstract RecurrentCell Cell(int features);

    /// <summary>The rates of dropout (on x_t) and recurrent_dropout (on h_{t-1}); none unless the kind takes them.</summary>
    private protected virtual (float Inputs, float States) DropoutRates => (0, 0);

    public override void Validate(string field) => CheckUnits(field, Units);

    public override Layer Build(string name, int maxBatch, int steps, int features) =>
        new Recurrent(name, maxBatch, steps, Cell(features), ReturnSequences, DropoutRates.Inputs, DropoutRates.States);

    public override (int Steps, int Features, long Parameters) Shape(int steps, int features) =>
        (ReturnSequences ? steps : 1, Units, Cell(features).ParameterCount);

    public override long BufferFloats(int maxBatch, int steps, int features) =>
        Recurrent.BufferFloats(maxBatch, steps, Cell(features), ReturnSequences, DropoutRates.Inputs, DropoutRates.States);
}

/// <summary>A recurrent layer with Keras's dropout and recurrent_dropout, left out of the JSON when zero.</summary>
public abstract record DropoutRecurrentSpec(
    int Units,
    bool ReturnSequences,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] float Dropout,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] float RecurrentDropout) : RecurrentSpec(Units, ReturnSequences)
{
    private protected override (float Inputs, float States) DropoutRates => (Dropout, RecurrentDropout);

    public override void Validate(string field)
    {
        base.Validate(field);
        CheckDropout(field, Dropout, RecurrentDropout);
    }
}

/// <summary>SimpleRNN(units, return_sequences, dropout, recurrent_dropout).</summary>
public sealed record SimpleRnnSpec(int Units, bool ReturnSequences = false, float Dropout = 0, float RecurrentDropout = 0)
    : DropoutRecurrentSpec(Units, ReturnSequences, Dropout, RecurrentDropout)
{
    [JsonIgnore]
    public override string Kind => "simple_rnn";
    public override RecurrentCell Cell(int features) => new SimpleRnnCell(features, Units);
}

/// <summary>LSTM(units, return_sequences, dropout, recurrent_dropout), as Keras's LSTM with its defaults otherwise (unit_forget_bias).</summary>
public sealed record LstmSpec(int Units, bool ReturnSequences = false, float Dropout = 0, float RecurrentDropout = 0)
    : DropoutRecurrentSpec(Units, ReturnSequences, Dropout, RecurrentDropout)
{
    [JsonIgnore]
    public override string Kind => "lstm";
    public override RecurrentCell Cell(int features) => new LstmCell(features, Units);
}

/// <summary>
/// GRU(units, return_sequences, dropout, recurrent_dropout), as Keras's GRU with its defaults otherwise
/// (reset_after = True, bias [2, 3 * units]).
/// </summary>
public sealed record GruSpec(int Units, bool ReturnSequences = false, float Dropout = 0, float RecurrentDropout = 0)
    : DropoutRecurrentSpec(Units, ReturnSequences, Dropout, RecurrentDropout)
{
    [JsonIgnore]
    public override string Kind => "gru";
    public override RecurrentCell Cell(int features) => new GruCell(features, Units);
}

/// <summary>The chapter's layer-normalised SimpleRNN cell in an RNN layer: RNN(LNSimpleRNNCell(units), return_sequences).</summary>
public sealed record LnSimpleRnnSpec(int Units, bool ReturnSequences = false) : RecurrentSpec(Units, ReturnSequences)
{
    [JsonIgnore]
    public override string Kind => "ln_simple_rnn";
    public override RecurrentCell Cell(int features) => new LayerNormSimpleRnnCell(features, Units);
}
