using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Models;

public sealed class KerasWeightsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-weights-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("deep-rnn-dense")]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("conv-gru")]
    [InlineData("ln-rnn")]
    [InlineData("wavenet")]
    public void Export_then_import_through_a_saved_file_round_trips_exactly(string name)
    {
        var entry = ModelCatalogue.Find(name);
        var spec = entry.Spec!;
        var network = new Network(spec, 50, 1, 1);
        var parameters = network.InitialParameters(3);
        var random = new Random(4);
        for (int i = 0; i < parameters.Length; i++) parameters[i] += (float)(random.NextDouble() - 0.5) * 1e-3f; // not just initial values
        var saved = new SavedModel(SavedModel.CurrentFormat, name, spec, entry.Task, 50, null, null, null, KerasWeights.Export(network, parameters));
        string path = Path.Combine(_dir, name + ".json");
        File.WriteAllText(path, saved.ToJson());

        var (_, back) = SavedModel.Read(path).Build();
        Assert.Equal(parameters.Select(BitConverter.SingleToInt32Bits), back.Select(BitConverter.SingleToInt32Bits));
        Assert.Equal(spec, SavedModel.Read(path).Spec);
        Assert.Equal(entry.Task, SavedModel.Read(path).Task);
    }

    [Fact]
    public void Exported_tensors_carry_keras_names_and_shapes()
    {
        var network = new Network(ModelCatalogue.Find("gru").Spec!, 50, 1, 1);
        var tensors = KerasWeights.Export(network, network.InitialParameters(1));
        Assert.Equal([1, 60], tensors["gru/kernel"].Shape);
        Assert.Equal([20, 60], tensors["gru/recurrent_kernel"].Shape);
        Assert.Equal([2, 60], tensors["gru/bias"].Shape);
        Assert.Equal([20, 10], tensors["dense/kernel"].Shape);
        Assert.Equal(network.ParameterCount, tensors.Values.Sum(t => t.Values.Length));
    }

    [Fact]
    public void Import_rejects_missing_misshapen_and_unknown_tensors()
    {
        var network = new Network(new ModelSpec([new SimpleRnnSpec(3), new DenseSpec(1)]), 5, 1, 1);
        var good = KerasWeights.Export(network, network.InitialParameters(1));

        var missing = new Dictionary<string, KerasTensor>(good);
        missing.Remove("dense/bias");
        Assert.Contains("dense/bias", Assert.Throws<InvalidInputException>(() => KerasWeights.Import(network, missing)).Message);

        var misshapen = new Dictionary<string, KerasTensor>(good) { ["simple_rnn/kernel"] = new KerasTensor([3, 1], new float[3]) };
        Assert.Contains("[1, 3]", Assert.Throws<InvalidInputException>(() => KerasWeights.Import(network, misshapen)).Message);

        var unknown = new Dictionary<string, KerasTensor>(good) { ["lstm/kernel"] = new KerasTensor([1], new float[1]) };
        Assert.Contains("lstm/kernel", Assert.Throws<InvalidInputException>(() => KerasWeights.Import(network, unknown)).Message);
    }

    [Fact]
    public void A_file_that_is_not_a_saved_model_is_rejected_naming_the_field()
    {
        string path = Path.Combine(_dir, "bad.json");
        File.WriteAllText(path, """{"format":"something-else"}""");
        Assert.Equal("model", Assert.Throws<InvalidInputException>(() => SavedModel.Read(path)).Field);
        Assert.Equal("model", Assert.Throws<InvalidInputException>(() => SavedModel.Read(Path.Combine(_dir, "absent.json"))).Field);
    }
}
