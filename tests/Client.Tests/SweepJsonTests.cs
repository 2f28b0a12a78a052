using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client.Tests;

/// <summary>
/// The keys of <c>sweep status --json</c> (and of the export's trials.json) at every level: snake_case names, the
/// counts by lowercase state word, and a trial's values under their space keys as the spec wrote them.
/// </summary>
public class SweepJsonTests
{
    [Fact]
    public void Every_level_has_its_snake_case_keys_and_dictionaries_keep_theirs()
    {
        var status = SweepStatuses.Mixed() with
        {
            Baselines = [new BaselineResult("sweep-1-linear-0", "ratios", 1, 0.0205, 0.0211, 0.0041, 0.0043, "least squares")],
            ChapterData = true,
        };
        var root = JsonDocument.Parse(SweepJson.Serialize(status)).RootElement;

        AssertKeys(root, "sweep_id", "state", "metric", "max_concurrent", "seconds", "counts", "best_trial", "naive_valid_mse",
            "naive_test_mse", "linear_valid_mse", "linear_test_mse", "chapter_data", "baselines", "trials", "error");
        AssertKeys(root.GetProperty("baselines")[0], "split", "horizon", "job_id", "naive_valid_mse", "naive_test_mse",
            "linear_valid_mse", "linear_test_mse", "linear_fit");
        AssertKeys(root.GetProperty("trials")[0], "index", "config", "model", "horizon", "values", "seed", "job_id", "state",
            "epochs", "metric", "test_mse", "weights_hash", "valid_mse", "train_loss", "waiting", "error");
        AssertKeys(root.GetProperty("counts"), "pending", "running", "completed", "stopped", "failed", "cancelled");
        AssertKeys(root.GetProperty("trials")[0].GetProperty("values"), "learning_rate", "units");

        Assert.Equal("sweep-1", root.GetProperty("sweep_id").GetString());
        Assert.Equal(2, root.GetProperty("max_concurrent").GetInt32());
        Assert.Equal(2, root.GetProperty("best_trial").GetInt32());
        Assert.True(root.GetProperty("chapter_data").GetBoolean());
        Assert.Equal("least squares", root.GetProperty("baselines")[0].GetProperty("linear_fit").GetString());
        var failed = root.GetProperty("trials")[3];
        Assert.Equal("failed", failed.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, failed.GetProperty("valid_mse")[1].ValueKind);   // NaN: null
        Assert.Equal("sweep-1-t3", failed.GetProperty("job_id").GetString());
        Assert.Equal(2, failed.GetProperty("epochs").GetInt32());
    }

    private static void AssertKeys(JsonElement element, params string[] keys) =>
        Assert.Equal(keys.Order(StringComparer.Ordinal), element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
}
