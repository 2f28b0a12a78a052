using System.Diagnostics;
using System.Text.Json;
using RnnCluster.Grains;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Benchmarks.Embedded;

/// <summary>
/// <c>embedded-local MODEL EPOCHS</c>, the local side of <see cref="EmbeddedBenchmark"/>, run in a fresh process:
/// the job spec <c>rnncluster train --model MODEL --epochs EPOCHS</c> builds (catalogue model, its task and learning
/// rate, the chapter's data from seed 42, batch 32, seed 42), turned into data and options by <see cref="JobPlan"/> as
/// the coordinator does, and trained by <see cref="Trainer.Train"/> on this thread: first cold (this process has run
/// nothing before), then once more warm. Prints one JSON object: each run's cumulative epoch seconds (the training
/// loop's own clock, as the job's history reports it) and weights hash, and the process's age at the end.
/// </summary>
internal static class LocalTrainChild
{
    public static int Run(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], out int epochs) || epochs < 1)
        {
            Console.Error.WriteLine("usage: embedded-local MODEL EPOCHS");
            return 2;
        }
        var spec = TrainSpec(args[0], epochs);
        var plan = JobPlan.From(spec);
        var cold = Trainer.Train(plan.Model, plan.Data, plan.Options);
        var warm = Trainer.Train(plan.Model, plan.Data, plan.Options);
        double age = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalSeconds;
        Console.WriteLine(JsonSerializer.Serialize(new LocalAnswer(
            cold.History.Select(h => h.Elapsed.TotalSeconds).ToArray(), cold.WeightsHash,
            warm.History.Select(h => h.Elapsed.TotalSeconds).ToArray(), warm.WeightsHash, age)));
        return 0;
    }

    /// <summary>The main job's spec of <c>rnncluster train --model MODEL --epochs EPOCHS</c> with every other option at its default.</summary>
    public static JobSpec TrainSpec(string model, int epochs)
    {
        var entry = ModelCatalogue.Find(model);
        var task = entry.TaskFor(null);
        var network = entry.SpecFor(task) ?? throw new ArgumentException($"model {model} is not a network");
        var settings = new TrainingSettings(epochs, 32, entry.LearningRate ?? 1e-3f, 42u);
        return new JobSpec(entry.Name, network.ToJson(), new DataSpec(42), settings, 1, TaskSpecs.From(task));
    }
}

/// <summary>What <see cref="LocalTrainChild"/> prints.</summary>
internal sealed record LocalAnswer(double[] ColdEpochSeconds, string ColdHash, double[] WarmEpochSeconds, string WarmHash, double ProcessSeconds);
