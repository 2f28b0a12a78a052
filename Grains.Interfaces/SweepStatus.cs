namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// What a sweep reports: its state, its trials (every one, in index order), the concurrency it runs at, the naive and
/// linear baselines on the sweep's data (one linear job per distinct data split: <see cref="Baselines"/>, the first
/// split's figures also in the four fields of their own), seconds since it started, on failure or rejection the
/// error, and whether the trials train on the chapter's generated series.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.SweepStatus")]
public sealed record SweepStatus(
    [property: Id(0)] string SweepId,
    [property: Id(1)] SweepState State,
    [property: Id(2)] TrialResult[] Trials,
    [property: Id(3)] int MaxConcurrent,
    [property: Id(4)] string Metric,
    [property: Id(5)] double? NaiveValidMse,
    [property: Id(6)] double? LinearValidMse,
    [property: Id(7)] double Seconds,
    [property: Id(8)] JobError? Error,
    [property: Id(9)] double? NaiveTestMse = null,
    [property: Id(10)] double? LinearTestMse = null,
    [property: Id(11)] BaselineResult[]? Baselines = null,
    [property: Id(12)] bool ChapterData = false)
{
    public bool IsFinished => State is SweepState.Completed or SweepState.Cancelled or SweepState.Failed or SweepState.Rejected;

    public int Count(TrialState state) => Trials.Count(t => t.State == state);

    /// <summary>The trial with the lowest metric so far (completed or stopped), or null.</summary>
    public TrialResult? Best => Trials.Where(t => t.Metric is double m && double.IsFinite(m)).MinBy(t => t.Metric);

    public static SweepStatus Unknown(string id) => new(id, SweepState.Unknown, [], 0, "", null, null, 0, null);
}
