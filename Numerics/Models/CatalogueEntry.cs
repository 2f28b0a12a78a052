using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// A model of the catalogue: its name, one line about it, the chapter's validation figure for it (null where the
/// chapter gives none), its task at the default horizon, the spec for a horizon (null for the naive forecast, which is
/// not a network), the learning rate the chapter trains it with when it is not Adam's default, and whether it can
/// forecast another horizon than its default one.
/// </summary>
public sealed record CatalogueEntry(string Name, string Description, double? ChapterValidMse, ForecastTask Task,
    Func<int, ModelSpec?> Build, float? LearningRate = null, bool AnyHorizon = true)
{
    /// <summary>The spec at the default horizon.</summary>
    public ModelSpec? Spec => SpecFor(Task);

    /// <summary>The task for <paramref name="horizon"/> (null: the default); throws <see cref="InvalidInputException"/> naming --horizon.</summary>
    public ForecastTask TaskFor(int? horizon)
    {
        var task = horizon is int h ? Task with { Horizon = h } : Task;
        task.Validate();
        if (!AnyHorizon && task.Horizon != Task.Horizon)
            throw new InvalidInputException("horizon", $"{task.Horizon}: model {Name} forecasts {Task.Horizon} step(s) ahead only; use linear, seq2vec-rnn or a sequence model for other horizons");
        return task;
    }

    public ModelSpec? SpecFor(ForecastTask task) => Build(task.TrainingHorizon);
}
