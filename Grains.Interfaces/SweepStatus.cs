namespace RnnCluster.Grains.Interfaces;

/// <summary>
/// What a sweep reports: its state, its trials (every one, in index order), the concurrency it runs at, the naive and
/// linear baselines on the sweep's data (one linear job per distinct data split: <see cref="Baselines"/>, the first
/// split's figures also in the four fields of their own), seconds since it started, on failure or rejection the
/// error, and whether the trials train on the chapter's generated series.
/// </summary>
[GenerateSerializer, Immutable, Alias("RnnCluster.SweepStatus")]
public sealed record SweepStatus(
    string SweepId,
    SweepState State,
    TrialResult[] Trials,
    int MaxConcurrent,
    string Metric,
    double? NaiveValidMse,
    double? LinearValidMse,
    double Seconds,
    JobError? Error,
    double? NaiveTestMse = null,
    double? LinearTestMse = null,
    BaselineResult[]? Baselines = null,
    bool ChapterData = false)
{
    public bool IsFinished => State is SweepState.Completed or SweepState.Cancelled or SweepState.Failed or SweepState.Rejected;

    public int Count(TrialState state) => Trials.Count(t => t.State == state);

    /// <summary>The trial with the lowest metric so far (completed or stopped), or null.</summary>
    public TrialResult? Best => Trials.Where(t => t.Metric is double m && double.IsFinite(m)).MinBy(t => t.Metric);

    public static SweepStatus Unknown(string id) => new(id, SweepState.Unknown, [], 0, "", null, null, 0, null);
}
