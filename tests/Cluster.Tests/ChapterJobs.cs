using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Cluster.Tests;

/// <summary>Specs of chapter jobs and the hash an uninterrupted run of them gives (the in-process trainer: bitwise the cluster's).</summary>
internal static class ChapterJobs
{
    public static JobSpec Spec(string model, int epochs, int shards, int? patience = null) =>
        new(model, ModelCatalogue.Find(model).Spec!.ToJson(), new DataSpec(DataSeed: 42), new TrainingSettings(Epochs: epochs, EarlyStoppingPatience: patience), shards);

    public static string UninterruptedHash(JobSpec spec)
    {
        var plan = JobPlan.From(spec);
        return Trainer.Train(plan.Model, plan.Data, plan.Options).WeightsHash;
    }

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];
}
