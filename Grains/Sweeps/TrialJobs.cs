using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Grains.Sweeps;

/// <summary>
/// The training jobs of a sweep: a trial's configuration applied to its catalogue model, task, data and settings
/// (anything the configuration leaves unset is the catalogue model's default on the chapter's series, on a CSV series
/// too: 20 epochs, batch 32, the model's learning rate, no early stopping; <c>train</c> on <c>--data</c> stops early by
/// default instead, which a spec asks for with <c>epochs</c> and <c>early_stopping</c>), and the linear baselines, one
/// per distinct data split (window, horizon, differencing) among the trials.
/// </summary>
public static class TrialJobs
{
    public static string TrialJobId(string sweepId, int index) => $"{sweepId}-t{index}";

    /// <summary>The job spec of a trial; a configuration that does not fit its model throws <see cref="InvalidInputException"/>.</summary>
    public static JobSpec Spec(SweepSpec sweep, DataSpec data, TrialPlan trial)
    {
        var c = trial.Config;
        string name = sweep.ModelFor(c);
        var entry = ModelCatalogue.Find(name);
        var task = entry.TaskFor(c.Horizon);
        var model = entry.SpecFor(task) ?? throw new InvalidInputException("model", $"'{name}' does not train; choose a network");
        if (c.Units is not null || c.Layers is not null || c.Cell is not null || c.Dropout is not null || c.RecurrentDropout is not null)
            model = TrialModel.Apply(model, c, name);
        var settings = new TrainingSettings(c.Epochs ?? TrainingSettings.DefaultEpochs, c.BatchSize ?? TrainingSettings.DefaultBatchSize,
            c.LearningRate ?? entry.LearningRate ?? TrainingSettings.DefaultLearningRate, trial.Seed,
            EarlyStoppingPatience: c.EarlyStopping, ClipNorm: c.ClipNorm);
        return new JobSpec(entry.Name, model.ToJson(), Split(data, c), settings, 1, TaskSpecs.From(task));
    }

    /// <summary>
    /// The linear baseline of a trial's data split (its window, horizon and differencing): on a CSV series fitted by
    /// least squares (its training optimum), on the chapter's series trained as the chapter does (20 epochs, Adam's
    /// defaults); on a CSV series it also computes the classical baselines the sweep's data section asks for.
    /// </summary>
    public static JobSpec Baseline(JobSpec trial, SweepSpec sweep)
    {
        var linear = ModelCatalogue.Find("linear");
        var task = linear.TaskFor(trial.Task?.Horizon ?? 1);
        var settings = trial.Data.IsChapter ? new TrainingSettings() : new TrainingSettings(Epochs: 1, LeastSquares: true);
        var classical = trial.Data.IsChapter ? null : new ClassicalSpec(sweep.Season, sweep.MovingAverageLength, sweep.Arima);
        return new JobSpec(linear.Name, linear.SpecFor(task)!.ToJson(), trial.Data, settings, 1, TaskSpecs.From(task), Classical: classical);
    }

    /// <summary>What makes two trials' data the same split: window, horizon and differencing.</summary>
    public static string SplitKey(JobSpec trial) =>
        $"window {trial.Data.Window}, horizon {trial.Task?.Horizon ?? 1}"
        + (trial.Data.Differences is { Length: > 0 } d ? $", differences {string.Join(" ", d)}" : "");

    private static DataSpec Split(DataSpec data, TrialConfig c) => data with
    {
        Window = c.Window ?? data.Window,
        Differences = c.Difference is int d ? [d] : data.Differences,
    };
}
