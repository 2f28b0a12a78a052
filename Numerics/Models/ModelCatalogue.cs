namespace RnnCluster.Numerics.Models;

/// <summary>The chapter's models by name, as REFERENCE's tables list them (one step ahead for now).</summary>
public static class ModelCatalogue
{
    public static IReadOnlyList<CatalogueEntry> All { get; } =
    [
        new("naive", "Predict the last observed value (no training)", 0.020, null),
        new("linear", "Flatten -> Dense(1): a linear model of the 50 inputs", 0.004,
            new ModelSpec([new FlattenSpec(), new DenseSpec(1)])),
        new("simple-rnn-1", "SimpleRNN(1): one recurrent neuron, three weights", 0.014,
            new ModelSpec([new SimpleRnnSpec(1)])),
        new("deep-rnn", "SimpleRNN(20, seq) -> SimpleRNN(20, seq) -> SimpleRNN(1)", 0.003,
            new ModelSpec([new SimpleRnnSpec(20, true), new SimpleRnnSpec(20, true), new SimpleRnnSpec(1)])),
        new("deep-rnn-dense", "SimpleRNN(20, seq) -> SimpleRNN(20) -> Dense(1): converges faster", 0.003,
            new ModelSpec([new SimpleRnnSpec(20, true), new SimpleRnnSpec(20), new DenseSpec(1)])),
    ];

    /// <summary>The entry called <paramref name="name"/>; an unknown name throws <see cref="InvalidInputException"/> listing the known ones.</summary>
    public static CatalogueEntry Find(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new InvalidInputException("--model", $"unknown model '{name}'; known models: {string.Join(", ", All.Select(e => e.Name))}");
}
