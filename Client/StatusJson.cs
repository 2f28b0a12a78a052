using System.Globalization;
using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client;

/// <summary>
/// A job's status as <c>rnncluster status --json</c> prints it: snake_case keys as <c>train --json</c> has them, the
/// state as a lowercase word, times in ISO 8601 (UTC), and the error as {kind, field, message} or null.
/// </summary>
public static class StatusJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Serialize(JobStatus s) => JsonSerializer.Serialize(new
    {
        job_id = s.JobId,
        state = StatusText.StateName(s.State),
        model = s.Model,
        epoch = s.Epoch,
        epochs = s.Epochs,
        step = s.Step,
        history = s.History.Select(h => new { epoch = h.Epoch, train_loss = h.TrainLoss, valid_mse = h.ValidMse, seconds = h.Seconds }).ToArray(),
        weights_hash = s.WeightsHash,
        valid_mse = s.ValidMse,
        test_mse = s.TestMse,
        naive_valid_mse = s.NaiveValidMse,
        naive_test_mse = s.NaiveTestMse,
        shard_silos = s.ShardSilos,
        coordinator_silo = s.CoordinatorSilo,
        checkpoint_step = s.CheckpointStep,
        checkpoint_time = s.CheckpointTime is DateTime t ? Utc(t).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture) : null,
        recoveries = s.Recoveries,
        baseline_job_id = s.BaselineJobId,
        fit = s.Fit ?? "adam",
        error = ErrorJson.Of(s.Error, OptionNames.Of),
    }, Indented);

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime();
}
