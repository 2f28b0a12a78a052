using System.Text.Json.Serialization;
using RnnCluster.Numerics.Layers;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// LSTM(units, return_sequences, dropout, recurrent_dropout), as Keras's LSTM with its defaults otherwise
/// (unit_forget_bias). The dropout rates are left out of the JSON when zero.
/// </summary>
public sealed record LstmSpec(
    int Units,
    bool ReturnSequences = false,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] float Dropout = 0,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] float RecurrentDropout = 0) : LayerSpec
{
    [JsonIgnore]
    public override string Kind => "lstm";

    public override void Validate(string field)
    {
        CheckUnits(field, Units);
        CheckDropout(field, Dropout, RecurrentDropout);
    }

    public override Layer Build(string name, int maxBatch, int steps, int features) =>
        new Lstm(name, maxBatch, steps, features, Units, ReturnSequences, Dropout, RecurrentDropout);

    public override (int Steps, int Features, long Parameters) Shape(int steps, int features) =>
        (ReturnSequences ? steps : 1, Units, 4L * ((long)features * Units + (long)Units * Units + Units));
}
