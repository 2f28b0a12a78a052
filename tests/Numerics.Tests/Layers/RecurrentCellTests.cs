using RnnCluster.Numerics.Layers;
using RnnCluster.Numerics.Layers.Cells;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Layers;

/// <summary>
/// The recurrent layers are one <see cref="Recurrent"/> layer running a cell, as Keras's RNN(cell): the cell states
/// its weights once (Keras's names and shapes), and the spec's parameter count and the layer's come from them.
/// </summary>
public class RecurrentCellTests
{
    public static TheoryData<string, string> Cells => new()
    {
        { "simple_rnn", "kernel [3, 5], recurrent_kernel [5, 5], bias [5]" },
        { "lstm", "kernel [3, 20], recurrent_kernel [5, 20], bias [20]" },
        { "gru", "kernel [3, 15], recurrent_kernel [5, 15], bias [2, 15]" },
        { "ln_simple_rnn", "kernel [3, 5], recurrent_kernel [5, 5], bias [5], gamma [5], beta [5]" },
    };

    [Theory]
    [MemberData(nameof(Cells))]
    public void A_cell_states_kerass_weights_and_the_spec_and_layer_count_them(string kind, string weights)
    {
        var spec = Spec(kind, units: 5);
        var cell = spec.Cell(3);
        Assert.Equal(weights, string.Join(", ", cell.Parameters));
        var layer = spec.Build(kind, maxBatch: 2, steps: 4, features: 3);
        Assert.IsType<Recurrent>(layer);
        Assert.Equal(cell.ParameterCount, layer.ParameterCount);
        Assert.Equal(cell.ParameterCount, spec.Shape(4, 3).Parameters);
    }

    [Fact]
    public void A_huge_input_is_counted_without_overflow()
    {
        // 4 (F U + U U + U) for F = 10^6, U = 1024: more than int.MaxValue
        Assert.Equal(4L * (1_000_000L * 1024 + 1024L * 1024 + 1024), new LstmSpec(1024).Shape(10, 1_000_000).Parameters);
    }

    [Fact]
    public void A_cell_serves_one_layer()
    {
        var cell = new GruCell(2, 3);
        _ = new Recurrent("gru", 1, 4, cell, returnSequences: true);
        Assert.Throws<InvalidOperationException>(() => new Recurrent("gru_1", 1, 4, cell, returnSequences: true));
    }

    private static RecurrentSpec Spec(string kind, int units) => kind switch
    {
        "simple_rnn" => new SimpleRnnSpec(units),
        "lstm" => new LstmSpec(units),
        "gru" => new GruSpec(units),
        _ => new LnSimpleRnnSpec(units),
    };
}
