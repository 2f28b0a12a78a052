using RnnCluster.Grains;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Client;

/// <summary>
/// What <c>train</c> says about a CSV series with gaps (empty cells): how many gaps and values each column has, and
/// how many windows of each split were skipped because they touch one (the training count is the model's own
/// training windows; validation and test are the table's windows, the same for every row).
/// </summary>
public static class GapReport
{
    /// <summary>"data: 2 gaps (5 values) in column temp_max; skipped 31 training, 4 validation, 2 test windows that touch them"; null without gaps.</summary>
    public static string? Line(DataSpec data, JobPlan plan)
    {
        if (data.IsChapter) return null;
        var parts = new List<string>();
        for (int c = 0; c < data.Columns!.Length; c++)
        {
            var gaps = SeriesGap.Find(data.Columns[c]);
            if (gaps.Count == 0) continue;
            int values = gaps.Sum(g => g.Length);
            string name = data.ColumnNames?[c] ?? $"#{c + 1}";
            parts.Add($"{gaps.Count} gap{(gaps.Count == 1 ? "" : "s")} ({values} value{(values == 1 ? "" : "s")}) in column {name}");
        }
        if (parts.Count == 0) return null;
        var skipped = Skipped(plan);
        string differenced = data.Differences is { Length: > 0 } ? " (or, differenced, their values a period later)" : "";
        return $"data: {string.Join(", ", parts)}; skipped {skipped.Train} training, {skipped.Valid} validation, {skipped.Test} test windows that touch them{differenced}";
    }

    /// <summary>The skipped windows: the model's training windows, the table's validation and test windows.</summary>
    public static WindowCounts Skipped(JobPlan plan) =>
        new(plan.Data.Skipped.Train, plan.Evaluation.Skipped.Valid, plan.Evaluation.Skipped.Test);
}
