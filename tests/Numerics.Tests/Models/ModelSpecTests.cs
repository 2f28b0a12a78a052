using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Models;

public class ModelSpecTests
{
    [Fact]
    public void Every_catalogue_spec_round_trips_through_json()
    {
        foreach (var entry in ModelCatalogue.All.Where(e => e.Spec is not null))
        {
            string json = entry.Spec!.ToJson();
            var back = ModelSpec.FromJson(json);
            Assert.Equal(entry.Spec, back);
            Assert.Equal(json, back.ToJson());
        }
    }

    [Fact]
    public void Json_names_layer_kinds_and_settings_as_keras_does()
    {
        var spec = new ModelSpec([new SimpleRnnSpec(20, ReturnSequences: true), new DenseSpec(1)]);
        Assert.Equal("""{"layers":[{"type":"simple_rnn","units":20,"return_sequences":true},{"type":"dense","units":1}]}""", spec.ToJson());
    }

    [Fact]
    public void Specs_differing_in_a_setting_are_not_equal()
    {
        Assert.NotEqual(new ModelSpec([new SimpleRnnSpec(20)]), new ModelSpec([new SimpleRnnSpec(20, true)]));
        Assert.NotEqual(new ModelSpec([new SimpleRnnSpec(20)]), new ModelSpec([new SimpleRnnSpec(21)]));
    }

    [Theory]
    [InlineData("""{"layers":[{"type":"lstmx","units":3}]}""", "model_file")]
    [InlineData("""{"layers":[{"type":"dense","units":0}]}""", "model_file layer 0 (dense)")]
    [InlineData("""{"layers":[{"type":"simple_rnn","units":5000}]}""", "model_file layer 0 (simple_rnn)")]
    [InlineData("""{"layers":[]}""", "model_file")]
    [InlineData("""not json""", "model_file")]
    public void A_bad_spec_is_rejected_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelSpec.FromJson(json));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void An_unknown_model_name_lists_the_known_ones()
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelCatalogue.Find("deep-rnnn"));
        Assert.Equal("model", e.Field);
        Assert.Contains("deep-rnn-dense", e.Message);
    }

    [Fact]
    public void Parameter_count_from_shapes_equals_the_built_networks_for_every_catalogue_model()
    {
        foreach (var entry in ModelCatalogue.All.Where(e => e.Spec is not null))
            Assert.Equal(new Network(entry.Spec!, 50, 1, 1).ParameterCount, entry.Spec!.ParameterCount(50, 1));
        var multivariate = new ModelSpec([new LstmSpec(7, true), new GruSpec(5), new DenseSpec(3)]);
        Assert.Equal(new Network(multivariate, 12, 4, 1).ParameterCount, multivariate.ParameterCount(12, 4));
    }

    [Fact]
    public void A_layer_without_its_type_is_rejected_naming_the_field()
    {
        var e = Assert.Throws<InvalidInputException>(() => ModelSpec.FromJson("""{"layers":[{"units":20}]}"""));
        Assert.Equal("model_file", e.Field);
    }
}
