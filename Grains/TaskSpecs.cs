using RnnCluster.Numerics.Data;

namespace RnnCluster.Grains;

/// <summary>A forecasting task both ways between the Numerics <see cref="ForecastTask"/> and the grains' <see cref="TaskSpec"/>, and in words.</summary>
public static class TaskSpecs
{
    public static TaskSpec From(ForecastTask t) => new(t.Horizon, t.Kind == ForecastKind.Sequence, t.Iterative, t.TargetStart, t.TargetStride);

    /// <summary>The task of a spec; null is one step ahead.</summary>
    public static ForecastTask ToTask(TaskSpec? t) => t is null ? new ForecastTask()
        : new ForecastTask(t.Sequence ? ForecastKind.Sequence : ForecastKind.Vector, t.Horizon, t.Iterative, t.TargetStart, t.TargetStride);

    public static string Describe(TaskSpec? t) => t is null || t.Horizon == 1 && !t.Sequence ? "one step ahead"
        : $"{t.Horizon} steps ahead{(t.Sequence ? " at every step" : t.Iterative ? ", one at a time fed back" : "")}";
}
