using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Numerics.Tests.Sweeps;

public class TrialModelTests
{
    private static ModelSpec Catalogue(string name) => ModelCatalogue.Find(name).Spec!;

    [Fact]
    public void Units_change_the_hidden_layers_of_deep_rnn_and_keep_its_output_simple_rnn_1()
    {
        var spec = TrialModel.Apply(Catalogue("deep-rnn"), new TrialConfig { Units = 32 });
        Assert.Equal(new ModelSpec([new SimpleRnnSpec(32, true), new SimpleRnnSpec(32, true), new SimpleRnnSpec(1)]), spec);
    }

    [Fact]
    public void Cell_gru_turns_the_lstm_model_into_two_grus()
    {
        var spec = TrialModel.Apply(Catalogue("lstm"), new TrialConfig { Cell = "gru" });
        Assert.Equal(new ModelSpec([new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(10)]), spec);
    }

    [Fact]
    public void Three_layers_on_deep_rnn_dense_keep_return_sequences_and_the_output_shape()
    {
        var baseModel = Catalogue("deep-rnn-dense");
        var spec = TrialModel.Apply(baseModel, new TrialConfig { Layers = 3 });
        Assert.Equal(new ModelSpec([new SimpleRnnSpec(20, true), new SimpleRnnSpec(20, true), new SimpleRnnSpec(20), new DenseSpec(1)]), spec);
        Assert.Equal(baseModel.OutputShape(50, 1), spec.OutputShape(50, 1));
        Assert.Equal((1, 1), spec.OutputShape(50, 1));
    }

    [Theory]
    [InlineData("deep-rnn", 1)]
    [InlineData("deep-rnn", 4)]
    [InlineData("deep-rnn-dense", 1)]
    [InlineData("seq2vec-rnn", 5)]
    [InlineData("lstm", 1)]
    [InlineData("conv-gru", 3)]
    [InlineData("ln-rnn", 8)]
    public void Any_number_of_layers_keeps_the_output_shape(string model, int layers)
    {
        var baseModel = Catalogue(model);
        var spec = TrialModel.Apply(baseModel, new TrialConfig { Layers = layers });
        Assert.Equal(baseModel.OutputShape(50, 1), spec.OutputShape(50, 1));
        Assert.Equal(baseModel.Layers.Count - 2 + layers, spec.Layers.Count);
        var hidden = spec.Layers.SkipLast(1).Where(l => l is SimpleRnnSpec or LstmSpec or GruSpec or LnSimpleRnnSpec).ToList();
        Assert.Equal(layers, hidden.Count);
        Assert.All(hidden.SkipLast(1), l => Assert.Equal(50, l.Shape(50, 1).Steps)); // every hidden layer but the last returns sequences
    }

    [Fact]
    public void One_layer_on_deep_rnn_keeps_a_sequence_for_the_output_rnn()
    {
        var spec = TrialModel.Apply(Catalogue("deep-rnn"), new TrialConfig { Layers = 1 });
        Assert.Equal(new ModelSpec([new SimpleRnnSpec(20, true), new SimpleRnnSpec(1)]), spec);
    }

    [Fact]
    public void Layers_cell_units_and_dropout_combine()
    {
        var config = new TrialConfig { Layers = 3, Cell = "gru", Units = 16, Dropout = 0.1f, RecurrentDropout = 0.2f };
        var spec = TrialModel.Apply(Catalogue("lstm"), config);
        Assert.Equal(new ModelSpec([new GruSpec(16, true, 0.1f, 0.2f), new GruSpec(16, true, 0.1f, 0.2f), new GruSpec(16, true, 0.1f, 0.2f), new DenseSpec(10)]), spec);
    }

    [Fact]
    public void Conv_gru_changes_its_grus_and_keeps_its_convolution()
    {
        var spec = TrialModel.Apply(Catalogue("conv-gru"), new TrialConfig { Units = 8, Cell = "lstm" });
        Assert.Equal(new ModelSpec([new Conv1DSpec(20, 4, Strides: 2), new LstmSpec(8, true), new LstmSpec(8, true), new DenseSpec(10)]), spec);
    }

    [Fact]
    public void Switching_to_the_layer_normalised_cell_drops_rates_it_has_not_and_back_keeps_the_settings()
    {
        var withDropout = new ModelSpec([new LstmSpec(20, true, 0.3f, 0.1f), new DenseSpec(1)]);
        var ln = TrialModel.Apply(withDropout, new TrialConfig { Cell = "ln_simple_rnn" });
        Assert.Equal(new ModelSpec([new LnSimpleRnnSpec(20, true), new DenseSpec(1)]), ln);
        Assert.Equal(new ModelSpec([new SimpleRnnSpec(20, true, 0.3f, 0.1f), new DenseSpec(1)]),
            TrialModel.Apply(withDropout, new TrialConfig { Cell = "simple_rnn" }));
    }

    [Fact]
    public void An_empty_configuration_or_training_keys_alone_leave_the_model_as_it_is()
    {
        foreach (var entry in ModelCatalogue.All.Where(e => e.Spec is not null))
        {
            Assert.Equal(entry.Spec, TrialModel.Apply(entry.Spec!, new TrialConfig()));
            Assert.Equal(entry.Spec, TrialModel.Apply(entry.Spec!, new TrialConfig { LearningRate = 0.01f, Epochs = 5, Horizon = 3 }));
        }
    }

    [Theory]
    [InlineData("linear", "space.units")]
    [InlineData("simple-rnn-1", "space.units")]
    [InlineData("wavenet", "space.units")]
    public void A_model_without_hidden_recurrent_layers_rejects_units_naming_the_key_and_the_model(string model, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => TrialModel.Apply(Catalogue(model), new TrialConfig { Units = 8 }, model));
        Assert.Equal(field, e.Field);
        Assert.Contains($"model {model} has no hidden recurrent layer", e.Message);
    }

    [Fact]
    public void Each_recurrent_key_is_named_when_the_model_cannot_take_it()
    {
        var linear = Catalogue("linear");
        Assert.Equal("space.layers", Assert.Throws<InvalidInputException>(() => TrialModel.Apply(linear, new TrialConfig { Layers = 2 }, "linear")).Field);
        Assert.Equal("space.cell", Assert.Throws<InvalidInputException>(() => TrialModel.Apply(linear, new TrialConfig { Cell = "gru" }, "linear")).Field);
        Assert.Equal("space.dropout", Assert.Throws<InvalidInputException>(() => TrialModel.Apply(linear, new TrialConfig { Dropout = 0.1f }, "linear")).Field);
        var e = Assert.Throws<InvalidInputException>(() => TrialModel.Apply(linear, new TrialConfig { RecurrentDropout = 0.1f, Model = "linear" }));
        Assert.Equal("space.recurrent_dropout", e.Field);
        Assert.Contains("linear", e.Message);
    }

    [Fact]
    public void The_layer_normalised_cell_rejects_a_dropout_rate_but_takes_zero()
    {
        var ln = Catalogue("ln-rnn");
        var e = Assert.Throws<InvalidInputException>(() => TrialModel.Apply(ln, new TrialConfig { Dropout = 0.2f }, "ln-rnn"));
        Assert.Equal("space.dropout", e.Field);
        Assert.Contains("ln-rnn", e.Message);
        Assert.Equal(ln, TrialModel.Apply(ln, new TrialConfig { Dropout = 0f }, "ln-rnn"));
    }

    [Fact]
    public void The_result_is_validated()
    {
        var e = Assert.Throws<InvalidInputException>(() => TrialModel.Apply(Catalogue("lstm"), new TrialConfig { Units = 5000 }));
        Assert.StartsWith("space", e.Field);
        Assert.Contains("units is 5000", e.Message);
    }

    [Fact]
    public void Every_searchable_combination_of_the_catalogue_builds_a_network_of_the_same_output_shape()
    {
        foreach (var entry in ModelCatalogue.All.Where(e => e.Spec is not null && e.Name is not ("linear" or "simple-rnn-1" or "wavenet")))
            foreach (string cell in SpaceKey.CellNames)
            {
                var spec = TrialModel.Apply(entry.Spec!, new TrialConfig { Cell = cell, Layers = 2, Units = 4 }, entry.Name);
                Assert.Equal(entry.Spec!.OutputShape(50, 1), spec.OutputShape(50, 1));
                Assert.True(new Network(spec, 50, 1, 1).ParameterCount > 0);
            }
    }
}
