using System.Text.Json.Serialization;
using RnnCluster.Numerics.Layers;

namespace RnnCluster.Numerics.Models;

/// <summary>The chapter's layer-normalised SimpleRNN cell in an RNN layer: RNN(LNSimpleRNNCell(units), return_sequences).</summary>
public sealed record LnSimpleRnnSpec(int Units, bool ReturnSequences = false) : LayerSpec
{
    [JsonIgnore]
    public override string Kind => "ln_simple_rnn";
    public override void Validate(string field) => CheckUnits(field, Units);
    public override Layer Build(string name, int maxBatch, int steps, int features) =>
        new LnSimpleRnn(name, maxBatch, steps, features, Units, ReturnSequences);

    public override (int Steps, int Features, long Parameters) Shape(int steps, int features) =>
        (ReturnSequences ? steps : 1, Units, (long)features * Units + (long)Units * Units + 3L * Units);
}
