using System.Collections.Concurrent;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Numerics.Tests.Reproduction;

/// <summary>
/// Full chapter runs (20 epochs, batch 32, Adam 1e-3, all 7,000 training series), shared by the figure tests. Each run
/// is a <see cref="Lazy{T}"/> in a concurrent map, so test classes running in parallel that ask for the same run wait
/// for one training instead of each starting its own.
/// </summary>
internal static class ChapterRuns
{
    private static readonly Lazy<DataSplit> OneStepData = new(() => ChapterSeries.OneStep(42));
    private static readonly ConcurrentDictionary<(string, uint), Lazy<TrainingResult>> Results = [];

    private static readonly Lazy<DataSplit> TenStepData = new(() => ChapterSeries.TenStep(42));
    private static readonly ConcurrentDictionary<(string, uint), Lazy<(double Figure, string WeightsHash)>> Figures = [];

    public static DataSplit OneStep => OneStepData.Value;

    public static DataSplit TenStep => TenStepData.Value;

    /// <summary>
    /// The chapter's figure of a ten-step catalogue model trained 20 epochs with its chapter settings on seed-42 data:
    /// MSE over the 10 values, at the last step for sequence models, of the fed-back forecasts for the iterative one.
    /// </summary>
    public static double TenStepFigure(string model, uint seed) =>
        Figures.GetOrAdd((model, seed), key => new Lazy<(double, string)>(() => TrainTenStep(key.Item1, key.Item2))).Value.Figure;

    /// <summary>The weights hash of the run <see cref="TenStepFigure"/> measures.</summary>
    public static string TenStepWeightsHash(string model, uint seed) =>
        Figures.GetOrAdd((model, seed), key => new Lazy<(double, string)>(() => TrainTenStep(key.Item1, key.Item2))).Value.WeightsHash;

    public static TrainingResult Train(string model, uint seed) =>
        Results.GetOrAdd((model, seed), key => new Lazy<TrainingResult>(
            () => Trainer.Train(ModelCatalogue.Find(key.Item1).Spec!, OneStep, new TrainingOptions(Seed: key.Item2)))).Value;

    private static (double Figure, string WeightsHash) TrainTenStep(string model, uint seed)
    {
        var entry = ModelCatalogue.Find(model);
        var task = entry.TaskFor(10);
        var spec = entry.SpecFor(task)!;
        var source = new ChapterSource(42);
        var training = task.Iterative ? OneStep : task.TrainingData(source);
        var options = new TrainingOptions(Seed: seed, LearningRate: entry.LearningRate ?? 1e-3f);
        var result = task.Iterative ? Train(model == "deep-rnn-iterative" ? "deep-rnn" : model, seed) : Trainer.Train(spec, training, options);
        return (ForecastFigures.Of(task, spec, result, training, TenStep).Valid, result.WeightsHash);
    }

    /// <summary>The median validation MSE of three seeds (single runs vary by about +/-20%).</summary>
    public static double MedianOfThreeSeeds(string model) =>
        new[] { 42u, 43u, 44u }.Select(s => Train(model, s).ValidMse).Order().ElementAt(1);

    /// <summary>At most 1.3x the chapter's figure; below half of it would suggest a leak between train and validation.</summary>
    public static void AssertReproduces(double chapter, double measured, string what)
    {
        Assert.True(measured <= 1.3 * chapter, $"{what}: validation MSE {measured:0.000000} is above 1.3 x the chapter's {chapter}");
        Assert.True(measured >= 0.5 * chapter, $"{what}: validation MSE {measured:0.000000} is below half the chapter's {chapter}: look for a leak");
    }
}
