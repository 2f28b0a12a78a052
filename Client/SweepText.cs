using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// The lines that say where a sweep is, as its progress and <c>sweep status</c> print them: the header (trials,
/// concurrency, metric) and the status line (trials by state, the best so far, elapsed and estimated time left).
/// </summary>
public static class SweepText
{
    /// <summary>"sweep ID: N trials, M at a time, metric valid_mse".</summary>
    public static string Header(SweepStatus s) =>
        $"sweep {s.SweepId}: {s.Trials.Length} trial{(s.Trials.Length == 1 ? "" : "s")}, {s.MaxConcurrent} at a time, metric {(s.Metric.Length > 0 ? s.Metric : "-")}";

    /// <summary>The status line: <see cref="Counts"/>, then "; elapsed 12s, ~40s left" (just "; elapsed 52s" once finished).</summary>
    public static string Line(SweepStatus s) => $"{Counts(s)}; {Time(s)}";

    /// <summary>
    /// The status line without the time: "running R, done D, stopped early S, failed F, pending P; best so far 0.001234
    /// (trial k: config)" (", cancelled C" when some are; "running R (W waiting for memory)" when some running trials'
    /// jobs wait for room in a silo's memory budget). It changes only when a trial changes state or a better one ends.
    /// </summary>
    public static string Counts(SweepStatus s)
    {
        int waiting = s.Trials.Count(t => t.State == TrialState.Running && t.Waiting is not null);
        string counts = $"running {s.Count(TrialState.Running)}{(waiting > 0 ? $" ({waiting} waiting for memory)" : "")}, done {s.Count(TrialState.Completed)}, stopped early {s.Count(TrialState.Stopped)}, "
            + $"failed {s.Count(TrialState.Failed)}, pending {s.Count(TrialState.Pending)}";
        if (s.Count(TrialState.Cancelled) is int cancelled and > 0) counts += $", cancelled {cancelled}";
        string best = s.Best is { } b ? $"{StatusText.Figure(b.Metric)} (trial {b.Index}: {b.Config})" : "-";
        return $"{counts}; best so far {best}";
    }

    /// <summary>"elapsed 12s, ~40s left": time left = elapsed / finished trials * unfinished trials, "-" before one finishes.</summary>
    public static string Time(SweepStatus s)
    {
        var elapsed = TimeSpan.FromSeconds(Math.Max(0, s.Seconds));
        if (s.IsFinished) return $"elapsed {Duration(elapsed)}";
        int finished = s.Trials.Count(t => t.IsFinished), remaining = s.Trials.Length - finished;
        string left = finished == 0 ? "-" : "~" + Duration(TimeSpan.FromSeconds(s.Seconds / finished * remaining));
        return $"elapsed {Duration(elapsed)}, {left} left";
    }

    /// <summary>"12s", "3m05s", "2h07m".</summary>
    public static string Duration(TimeSpan t) =>
        t.TotalSeconds < 120 ? $"{(int)t.TotalSeconds}s"
        : t.TotalHours < 2 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s"
        : $"{(int)t.TotalHours}h{t.Minutes:00}m";

    /// <summary>"running", "completed", "cancelled", ...</summary>
    public static string StateName(SweepState state) => state.ToString().ToLowerInvariant();

    /// <summary>"pending", "running", "completed", "stopped", "failed", "cancelled".</summary>
    public static string StateName(TrialState state) => state.ToString().ToLowerInvariant();
}
