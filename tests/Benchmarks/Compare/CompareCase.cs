using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Benchmarks.Compare;

/// <summary>
/// One row of the comparison: a model (the same <see cref="ModelSpec"/> drives both sides), the data it trains on
/// (the chapter's series for data seed 42, cut as the model's task wants), the batch size, and the goal for
/// the row (a minimum ratio ours / libtorch and a minimum fraction of the single-core FMA peak; null: none set).
/// </summary>
internal sealed record CompareCase(string Name, string Size, string Description, ModelSpec Spec, Dataset Train, int BatchSize,
    double? RatioGoal, double? PeakGoal)
{
    public const int DataSeed = 42;

    // issue 14's goals: every chapter-size row at 40% of the one-core FMA peak (the deep RNN and the GRU at 15x
    // libtorch, the LSTM at 5x), the large rows at 55%
    private const double ChapterPeakGoal = 0.40, LargePeakGoal = 0.55;

    /// <summary>The rows' model names (each at one or both sizes).</summary>
    public static readonly IReadOnlyList<string> Names = ["deep-rnn-dense", "lstm-dense", "gru-dense", "wavenet", "conv-gru"];

    public double TrainingFlopsPerSample => Flops.TrainingPerSample(Spec, Train.Steps, Train.Features);

    /// <summary>The rows, in order: the chapter's size (batch 32, 20 units), then the larger size (batch 256, 128 units).</summary>
    public static IReadOnlyList<CompareCase> All()
    {
        var oneStep = ChapterSeries.OneStep(DataSeed).Train;
        var cases = new List<CompareCase>
        {
            Stack("deep-rnn-dense", "chapter", oneStep, 32, 20, u => new SimpleRnnSpec(u, true), u => new SimpleRnnSpec(u), "SimpleRNN", 15, ChapterPeakGoal),
            Stack("lstm-dense", "chapter", oneStep, 32, 20, u => new LstmSpec(u, true), u => new LstmSpec(u), "LSTM", 5, ChapterPeakGoal),
            Stack("gru-dense", "chapter", oneStep, 32, 20, u => new GruSpec(u, true), u => new GruSpec(u), "GRU", 15, ChapterPeakGoal),
            Catalogue("wavenet") with { PeakGoal = ChapterPeakGoal },
            Catalogue("conv-gru") with { PeakGoal = ChapterPeakGoal },
            Stack("deep-rnn-dense", "large", oneStep, 256, 128, u => new SimpleRnnSpec(u, true), u => new SimpleRnnSpec(u), "SimpleRNN", null, LargePeakGoal),
            Stack("lstm-dense", "large", oneStep, 256, 128, u => new LstmSpec(u, true), u => new LstmSpec(u), "LSTM", null, LargePeakGoal),
            Stack("gru-dense", "large", oneStep, 256, 128, u => new GruSpec(u, true), u => new GruSpec(u), "GRU", null, LargePeakGoal),
        };
        return cases;
    }

    /// <summary>"name" (chapter size) or "name-large"; also any catalogue model at its default task, batch 32.</summary>
    public string Key => Size == "large" ? $"{Name}-large" : Name;

    /// <summary>The row called <paramref name="key"/> (see <see cref="Key"/>), else the catalogue model of that name.</summary>
    public static CompareCase Find(string key) => All().FirstOrDefault(c => c.Key == key) ?? Catalogue(key);

    // Kind(units, seq) -> Kind(units) -> Dense(1), one step ahead
    private static CompareCase Stack(string name, string size, Dataset train, int batch, int units, Func<int, LayerSpec> first,
        Func<int, LayerSpec> second, string kind, double? ratioGoal, double? peakGoal) =>
        new(name, size, $"{kind}({units}, seq) -> {kind}({units}) -> Dense(1), batch {batch}",
            new ModelSpec([first(units), second(units), new DenseSpec(1)]), train, batch, ratioGoal, peakGoal);

    // a catalogue model at its default horizon, on its own task's training data, batch 32
    private static CompareCase Catalogue(string name)
    {
        var entry = ModelCatalogue.Find(name);
        var train = entry.Task.TrainingData(new ChapterSource(DataSeed)).Train;
        return new CompareCase(name, "chapter", $"{entry.Description}, batch 32", entry.Spec!, train, 32, null, null);
    }
}
