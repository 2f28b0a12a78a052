using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Models;

/// <summary>The chapter's models by name, as REFERENCE's tables list them, each with its task and default horizon.</summary>
public static class ModelCatalogue
{
    private static readonly ForecastTask OneStep = new(ForecastKind.Vector, 1);
    private static readonly ForecastTask TenSteps = new(ForecastKind.Vector, 10);
    private static readonly ForecastTask SequenceTenSteps = new(ForecastKind.Sequence, 10);
    private static readonly int[] WaveNetDilations = [1, 2, 4, 8, 1, 2, 4, 8];

    private static ModelSpec DeepRnn() => new([new SimpleRnnSpec(20, true), new SimpleRnnSpec(20, true), new SimpleRnnSpec(1)]);

    public static IReadOnlyList<CatalogueEntry> All { get; } =
    [
        new("naive", "Predict the last observed value for every step ahead (no training)", 0.020, OneStep, _ => null),
        new("linear", "Flatten -> Dense(horizon): a linear model of the 50 inputs", 0.004, OneStep,
            h => new ModelSpec([new FlattenSpec(), new DenseSpec(h)])),
        new("simple-rnn-1", "SimpleRNN(1): one recurrent neuron, three weights", 0.014, OneStep,
            _ => new ModelSpec([new SimpleRnnSpec(1)]), AnyHorizon: false),
        new("deep-rnn", "SimpleRNN(20, seq) -> SimpleRNN(20, seq) -> SimpleRNN(1)", 0.003, OneStep,
            _ => DeepRnn(), AnyHorizon: false),
        new("deep-rnn-dense", "SimpleRNN(20, seq) -> SimpleRNN(20) -> Dense(1): converges faster", 0.003, OneStep,
            _ => new ModelSpec([new SimpleRnnSpec(20, true), new SimpleRnnSpec(20), new DenseSpec(1)]), AnyHorizon: false),
        new("deep-rnn-iterative", "The one-step deep RNN applied horizon times, feeding each prediction back in", 0.029,
            TenSteps with { Iterative = true }, _ => DeepRnn()),
        new("seq2vec-rnn", "SimpleRNN(20, seq) -> SimpleRNN(20) -> Dense(horizon): all steps ahead at once", 0.008, TenSteps,
            h => new ModelSpec([new SimpleRnnSpec(20, true), new SimpleRnnSpec(20), new DenseSpec(h)])),
        new("seq2seq-rnn", "SimpleRNN(20, seq) x2 -> Dense(horizon) on every step; Adam lr 0.01; figure = MSE at the last step", 0.006,
            SequenceTenSteps, h => new ModelSpec([new SimpleRnnSpec(20, true), new SimpleRnnSpec(20, true), new DenseSpec(h)]), LearningRate: 0.01f),
        new("ln-rnn", "Layer-normalised SimpleRNN cell (20, seq) x2 -> Dense(horizon) on every step", null, SequenceTenSteps,
            h => new ModelSpec([new LnSimpleRnnSpec(20, true), new LnSimpleRnnSpec(20, true), new DenseSpec(h)])),
        new("lstm", "LSTM(20, seq) x2 -> Dense(horizon) on every step", null, SequenceTenSteps,
            h => new ModelSpec([new LstmSpec(20, true), new LstmSpec(20, true), new DenseSpec(h)])),
        new("gru", "GRU(20, seq) x2 -> Dense(horizon) on every step", null, SequenceTenSteps,
            h => new ModelSpec([new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(h)])),
        new("conv-gru", "Conv1D(20, kernel 4, strides 2) -> GRU(20, seq) x2 -> Dense(horizon); targets Y[:, 3::2]", null,
            SequenceTenSteps with { TargetStart = 3, TargetStride = 2 },
            h => new ModelSpec([new Conv1DSpec(20, 4, Strides: 2), new GruSpec(20, true), new GruSpec(20, true), new DenseSpec(h)])),
        new("wavenet", "WaveNet: Conv1D(20, kernel 2, causal, relu, dilation 1,2,4,8,1,2,4,8) -> Conv1D(horizon, kernel 1)", null,
            SequenceTenSteps, WaveNet),
    ];

    private static ModelSpec WaveNet(int horizon) => new(
        [.. WaveNetDilations.Select(d => (LayerSpec)new Conv1DSpec(20, 2, Padding: "causal", DilationRate: d, Activation: "relu")),
         new Conv1DSpec(horizon, 1)]);

    /// <summary>
    /// The chapter's validation MSE for a catalogue model trained with its defaults at <paramref name="horizon"/>, or null
    /// where the chapter gives none: each entry's figure at its default horizon, and the ten-step naive forecast (0.223)
    /// and linear model (0.0188) of the chapter's ten-step table.
    /// </summary>
    public static double? ChapterFigure(string name, int horizon) => (name, horizon) switch
    {
        ("naive", 10) => 0.223,
        ("linear", 10) => 0.0188,
        _ => All.FirstOrDefault(e => e.Name == name) is { } entry && entry.Task.Horizon == horizon ? entry.ChapterValidMse : null,
    };

    /// <summary>The entry called <paramref name="name"/>; an unknown name throws <see cref="InvalidInputException"/> listing the known ones.</summary>
    public static CatalogueEntry Find(string name) =>
        All.FirstOrDefault(e => e.Name == name)
        ?? throw new InvalidInputException("model", $"unknown model '{name}'; known models: {string.Join(", ", All.Select(e => e.Name))}");
}
