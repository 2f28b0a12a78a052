using System.Globalization;
using System.Text;
using RnnCluster.Grains;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Client;

/// <summary>
/// The files <c>sweep export</c> writes to its folder: trials.csv (a row a trial: index, state, seed, job id, epochs,
/// metric, test_mse, weights_hash, a column a searched key, then valid_mse_1..N; invariant culture, empty where there
/// is no value), trials.json (<see cref="SweepJson"/>) and best-model.json (the best trial's model in the
/// <c>train --save</c> format). A searched key named as a fixed column is "space." and its name ("space.epochs").
/// </summary>
public static class SweepExport
{
    public const string TrialsCsv = "trials.csv";
    public const string TrialsJson = "trials.json";
    public const string BestModel = "best-model.json";

    /// <summary>The columns before the searched keys'; "epochs" is the number trained (fewer when stopped early).</summary>
    public static IReadOnlyList<string> FixedColumns { get; } = ["index", "state", "seed", "job_id", "epochs", "metric", "test_mse", "weights_hash"];

    /// <summary>What names a searched key's column whose name is a fixed column's ("space.epochs", the epochs set).</summary>
    public const string KeyPrefix = "space.";

    /// <summary>The CSV text of the sweep's trials, in index order, with a header row.</summary>
    public static string Csv(SweepStatus s)
    {
        var trials = s.Trials.OrderBy(t => t.Index).ToList();
        var keys = Keys(trials);
        int epochs = trials.Count == 0 ? 0 : trials.Max(t => t.ValidMse.Length);
        var text = new StringBuilder();
        Row(text, [
            .. FixedColumns, .. keys.Select(k => FixedColumns.Contains(k) ? KeyPrefix + k : k), .. Enumerable.Range(1, epochs).Select(e => $"valid_mse_{e}"),
        ]);
        foreach (var t in trials)
            Row(text, [
                t.Index.ToString(CultureInfo.InvariantCulture), SweepText.StateName(t.State), t.Seed.ToString(CultureInfo.InvariantCulture),
                t.JobId, t.ValidMse.Length.ToString(CultureInfo.InvariantCulture), Number(t.Metric), Number(t.TestMse), t.WeightsHash ?? "",
                .. keys.Select(k => t.Values.TryGetValue(k, out var v) ? v : ""),
                .. Enumerable.Range(0, epochs).Select(e => e < t.ValidMse.Length ? Number(t.ValidMse[e]) : ""),
            ]);
        return text.ToString();
    }

    /// <summary>Writes trials.csv and trials.json to <paramref name="folder"/> (created if missing); returns their paths.</summary>
    public static (string Csv, string Json) WriteTrials(SweepStatus s, string folder)
    {
        string csv = Path.Combine(folder, TrialsCsv), json = Path.Combine(folder, TrialsJson);
        Write(folder, () =>
        {
            Directory.CreateDirectory(folder);
            File.WriteAllText(csv, Csv(s));
            File.WriteAllText(json, SweepJson.Serialize(s) + Environment.NewLine);
        });
        return (csv, json);
    }

    /// <summary>
    /// Writes the best trial's exported model to best-model.json in <paramref name="folder"/>; returns the line that
    /// says which trial and whose weights they are.
    /// </summary>
    public static string WriteBestModel(JobExport export, TrialResult best, string folder)
    {
        string path = Path.Combine(folder, BestModel);
        if (export.Data is not { } data || export.Model is not { } trained)
            throw new InvalidInputException("SWEEP", $"trial {best.Index}'s job {best.JobId} has no model to export");
        var spec = ModelSpec.FromJson(export.ModelJson, "SWEEP");
        Write(folder, () => Directory.CreateDirectory(folder));
        SavedModelFile.Write(path, "--out", export.ModelName, spec, TaskSpecs.ToTask(export.Task), data, trained);
        string whose = export.Final ? $"its finished job {best.JobId} (step {export.Step})" : $"job {best.JobId}'s last checkpoint (step {export.Step})";
        return $"wrote {path}: trial {best.Index} ({best.Config}), metric {StatusText.Figure(best.Metric)}, the weights of {whose}";
    }

    // the searched keys of the trials: in the space's order, any the client does not know after them
    private static List<string> Keys(IEnumerable<TrialResult> trials)
    {
        var given = trials.SelectMany(t => t.Values.Keys).Distinct().ToList();
        var order = SpaceKey.All.Select(k => k.Name).ToList();
        return [.. given.OrderBy(k => order.IndexOf(k) is int i and >= 0 ? i : int.MaxValue).ThenBy(k => k, StringComparer.Ordinal)];
    }

    private static string Number(double? value) => value is double v ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static void Row(StringBuilder text, IEnumerable<string> cells) =>
        text.Append(string.Join(',', cells.Select(Cell))).Append('\n');

    // RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled
    private static string Cell(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) < 0 ? cell : $"\"{cell.Replace("\"", "\"\"")}\"";

    private static void Write(string folder, Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InvalidInputException("--out", $"cannot write to '{folder}': {e.Message.Split('\n', 2)[0].Trim()}");
        }
    }
}
