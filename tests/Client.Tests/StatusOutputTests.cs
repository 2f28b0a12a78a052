using System.Text.Json;
using RnnCluster.Grains.Interfaces;

namespace RnnCluster.Client.Tests;

/// <summary>
/// What <c>status</c> (human and --json) and <c>jobs</c> print, built from statuses and summaries made here: a job
/// finished on an embedded cluster ends with the process, so these are checked without one.
/// </summary>
public class StatusOutputTests
{
    private static readonly DateTime Now = new(2025, 3, 4, 12, 0, 0, DateTimeKind.Utc);

    private static JobStatus Diverged() => new("job-1", JobState.Diverged, "deep-rnn", 3, 20, 120,
        [new EpochSummary(1, 0.25, 0.125, 1.5), new EpochSummary(2, 0.2, 0.1, 3.0)], "0123456789abcdef", null, null,
        ["silo-a:11111", "silo-b:11112", "silo-a:11111"], new JobError(JobErrorKind.Diverged, "--learning-rate", "the loss at step 121 is not finite"),
        NaiveValidMse: 0.0202, NaiveTestMse: 0.0218, CoordinatorSilo: "silo-b:11112", CheckpointStep: 100,
        CheckpointTime: Now.AddSeconds(-30), Recoveries: 1, BaselineJobId: "job-1-linear-baseline");

    private static JobStatus Running() => new("job-2", JobState.Running, "linear", 0, 5, 3, [], null, null, null, ["silo-a:11111"], null);

    [Fact]
    public void Json_has_snake_case_keys_a_lowercase_state_and_an_error_object()
    {
        var s = JsonDocument.Parse(StatusJson.Serialize(Diverged())).RootElement;

        string[] expected =
        [
            "job_id", "state", "model", "epoch", "epochs", "step", "history", "weights_hash", "valid_mse", "test_mse", "naive_valid_mse",
            "naive_test_mse", "shard_silos", "coordinator_silo", "checkpoint_step", "checkpoint_time", "recoveries", "baseline_job_id", "fit", "classical", "waiting", "error",
        ];
        Assert.Equal(expected.Order(), s.EnumerateObject().Select(p => p.Name).Order());
        AssertSnakeCase(s);
        Assert.Equal("job-1", s.GetProperty("job_id").GetString());
        Assert.Equal("diverged", s.GetProperty("state").GetString());
        Assert.Equal(120, s.GetProperty("step").GetInt64());
        Assert.Equal("0123456789abcdef", s.GetProperty("weights_hash").GetString());
        Assert.Equal("adam", s.GetProperty("fit").GetString());
        Assert.Equal("least squares", JsonDocument.Parse(StatusJson.Serialize(Diverged() with { Fit = "least squares" })).RootElement.GetProperty("fit").GetString());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("valid_mse").ValueKind);
        Assert.Equal(0.0202, s.GetProperty("naive_valid_mse").GetDouble());
        Assert.Equal(3, s.GetProperty("shard_silos").GetArrayLength());
        Assert.Equal("silo-b:11112", s.GetProperty("coordinator_silo").GetString());
        Assert.Equal(100, s.GetProperty("checkpoint_step").GetInt64());
        Assert.Equal("2025-03-04T11:59:30.000Z", s.GetProperty("checkpoint_time").GetString());
        Assert.Equal(1, s.GetProperty("recoveries").GetInt32());
        var history = s.GetProperty("history");
        Assert.Equal(2, history.GetArrayLength());
        Assert.Equal(2, history[1].GetProperty("epoch").GetInt32());
        Assert.Equal(0.2, history[1].GetProperty("train_loss").GetDouble());
        Assert.Equal(0.1, history[1].GetProperty("valid_mse").GetDouble());
        Assert.Equal(3.0, history[1].GetProperty("seconds").GetDouble());
        var error = s.GetProperty("error");
        Assert.Equal("diverged", error.GetProperty("kind").GetString());
        Assert.Equal("--learning-rate", error.GetProperty("field").GetString());
        Assert.Equal("the loss at step 121 is not finite", error.GetProperty("message").GetString());
    }

    [Fact]
    public void A_baseline_jobs_classical_rows_are_a_line_each_and_a_json_list()
    {
        var baseline = Running() with
        {
            JobId = "job-1-linear-baseline",
            State = JobState.Completed,
            Classical = [new ClassicalRow("seasonal-naive", "season 12", 4.67, 5.1), new ClassicalRow("arima", "ARIMA(2,1,1), by AIC", 6.73, double.PositiveInfinity)],
        };

        var lines = StatusText.Describe(baseline, Now).Split(Environment.NewLine);
        Assert.Equal(
            ["classical:    seasonal naive (season 12): valid 4.670000, test 5.100000", "classical:    ARIMA(2,1,1), by AIC: valid 6.730000, test Infinity"],
            lines.Where(l => l.StartsWith("classical:", StringComparison.Ordinal)));
        var rows = JsonDocument.Parse(StatusJson.Serialize(baseline)).RootElement.GetProperty("classical").EnumerateArray().ToArray();
        Assert.Equal(["name", "method", "settings", "valid_mse", "test_mse"], rows[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(("seasonal naive (season 12)", "seasonal-naive", "season 12", 4.67, 5.1),
            (rows[0].GetProperty("name").GetString(), rows[0].GetProperty("method").GetString(), rows[0].GetProperty("settings").GetString(),
             rows[0].GetProperty("valid_mse").GetDouble(), rows[0].GetProperty("test_mse").GetDouble()));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("test_mse").ValueKind);
        Assert.Equal(0, JsonDocument.Parse(StatusJson.Serialize(Running())).RootElement.GetProperty("classical").GetArrayLength());
        Assert.DoesNotContain("classical:", StatusText.Describe(Running(), Now));
    }

    [Fact]
    public void Json_of_a_running_job_without_error_or_checkpoint()
    {
        var s = JsonDocument.Parse(StatusJson.Serialize(Running())).RootElement;
        Assert.Equal("running", s.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, s.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.Null, s.GetProperty("checkpoint_step").ValueKind);
        Assert.Equal(JsonValueKind.Null, s.GetProperty("checkpoint_time").ValueKind);
        Assert.Equal(0, s.GetProperty("history").GetArrayLength());
    }

    [Theory]
    [InlineData(JobErrorKind.BadInput, "bad_input")]
    [InlineData(JobErrorKind.CorruptCheckpoint, "corrupt_checkpoint")]
    [InlineData(JobErrorKind.Storage, "storage")]
    public void Json_error_kinds_are_snake_case(JobErrorKind kind, string name)
    {
        var s = JsonDocument.Parse(StatusJson.Serialize(Running() with { State = JobState.Failed, Error = new JobError(kind, "storage", "x") })).RootElement;
        Assert.Equal(name, s.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal("failed", s.GetProperty("state").GetString());
    }

    [Fact]
    public void Json_writes_a_figure_that_is_not_finite_as_null()
    {
        // a completed job whose last update overflowed its validation forecasts: JSON has no NaN or infinity
        var status = Running() with
        {
            State = JobState.Completed,
            History = [new EpochSummary(1, 0.25, double.PositiveInfinity, 1.5), new EpochSummary(2, double.NaN, 0.1, 3.0)],
            ValidMse = double.PositiveInfinity,
            TestMse = double.NaN,
            NaiveValidMse = 0.0202,
        };
        var s = JsonDocument.Parse(StatusJson.Serialize(status)).RootElement;
        Assert.Equal(JsonValueKind.Null, s.GetProperty("valid_mse").ValueKind);
        Assert.Equal(JsonValueKind.Null, s.GetProperty("test_mse").ValueKind);
        Assert.Equal(0.0202, s.GetProperty("naive_valid_mse").GetDouble());
        var history = s.GetProperty("history");
        Assert.Equal(JsonValueKind.Null, history[0].GetProperty("valid_mse").ValueKind);
        Assert.Equal(0.25, history[0].GetProperty("train_loss").GetDouble());
        Assert.Equal(JsonValueKind.Null, history[1].GetProperty("train_loss").ValueKind);
        Assert.Equal(0.1, history[1].GetProperty("valid_mse").GetDouble());
    }

    [Fact]
    public void Text_shows_the_coordinator_shards_checkpoint_recoveries_and_error()
    {
        var lines = StatusText.Describe(Diverged(), Now).Split(Environment.NewLine);
        Assert.Contains("state:        diverged", lines);
        Assert.Contains("coordinator:  silo-b:11112", lines);
        Assert.Contains("shards:       3 on silo-a:11111, silo-b:11112", lines);
        Assert.Contains("checkpoint:   step 100, written 30s ago", lines);
        Assert.Contains("recoveries:   1", lines);
        Assert.Contains("error:        --learning-rate: the loss at step 121 is not finite", lines);
    }

    [Fact]
    public void Text_of_a_job_without_checkpoint_says_none()
    {
        var text = StatusText.Describe(Running(), Now);
        Assert.Contains("checkpoint:   none", text);
        Assert.Contains("recoveries:   0", text);
        Assert.DoesNotContain("error:", text);
        Assert.DoesNotContain("waiting", text);
    }

    [Fact]
    public void A_job_waiting_for_memory_says_why_in_text_and_json()
    {
        var waiting = Running() with { Waiting = "memory: shard 0 of job job-2 needs 40 MB, but this silo's jobs hold 90 MB of its budget of 100 MB" };
        Assert.Contains("waiting for:  memory: shard 0 of job job-2 needs 40 MB", StatusText.Describe(waiting, Now));
        Assert.StartsWith("memory: shard 0", JsonDocument.Parse(StatusJson.Serialize(waiting)).RootElement.GetProperty("waiting").GetString());
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(StatusJson.Serialize(Running())).RootElement.GetProperty("waiting").ValueKind);
    }

    [Fact]
    public void Jobs_of_an_empty_cluster_is_the_header_alone()
    {
        var lines = JobsCommand.Table([], Now).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        var header = Assert.Single(lines);
        foreach (var column in new[] { "job", "state", "model", "epoch", "valid MSE", "weights hash", "updated" }) Assert.Contains(column, header);
    }

    [Fact]
    public void Jobs_prints_a_line_a_summary()
    {
        JobSummary[] jobs =
        [
            new("first-job", JobState.Completed, "deep-rnn", 20, 20, 6260, 0.003065, "1d6b962e6c375cc4", Now.AddMinutes(-5)),
            new("second-job", JobState.Running, "linear", 2, 20, 626, null, null, Now.AddSeconds(-3)),
        ];
        var lines = JobsCommand.Table(jobs, Now).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^first-job +completed +deep-rnn +20/20 +0\.003065 +1d6b962e6c375cc4 +5m ago$", lines[1]);
        Assert.Matches(@"^second-job +running +linear +2/20 +- +- +3s ago$", lines[2]);
    }

    [Fact]
    public void Jobs_json_lists_each_summary_with_the_unreadable_parts()
    {
        var listed = new RegistryList<JobSummary>(
        [
            new("first-job", JobState.Completed, "deep-rnn", 20, 20, 6260, 0.003065, "1d6b962e6c375cc4", Now.AddMinutes(-5)),
            new("second-job", JobState.Diverged, "linear", 2, 20, 626, double.NaN, null, DateTime.SpecifyKind(Now, DateTimeKind.Unspecified)),
        ], ["the stored job list job-registry-7 cannot be read"]);

        var root = JsonDocument.Parse(ListCommand.Json("jobs", listed)).RootElement;

        AssertSnakeCase(root);
        Assert.Equal(["jobs", "unreadable"], root.EnumerateObject().Select(p => p.Name));
        var jobs = root.GetProperty("jobs").EnumerateArray().ToArray();
        Assert.Equal(["job_id", "state", "model", "epoch", "epochs", "step", "valid_mse", "weights_hash", "updated"], jobs[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal(("first-job", "completed", 6260, 0.003065, "1d6b962e6c375cc4", "2025-03-04T11:55:00.000Z"),
            (jobs[0].GetProperty("job_id").GetString(), jobs[0].GetProperty("state").GetString(), jobs[0].GetProperty("step").GetInt32(),
             jobs[0].GetProperty("valid_mse").GetDouble(), jobs[0].GetProperty("weights_hash").GetString(), jobs[0].GetProperty("updated").GetString()));
        Assert.Equal("diverged", jobs[1].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, jobs[1].GetProperty("valid_mse").ValueKind);
        Assert.Equal(JsonValueKind.Null, jobs[1].GetProperty("weights_hash").ValueKind);
        Assert.Equal("2025-03-04T12:00:00.000Z", jobs[1].GetProperty("updated").GetString());
        Assert.Equal("the stored job list job-registry-7 cannot be read", Assert.Single(root.GetProperty("unreadable").EnumerateArray()).GetString());
    }

    private static void AssertSnakeCase(JsonElement e)
    {
        if (e.ValueKind == JsonValueKind.Object)
            foreach (var p in e.EnumerateObject())
            {
                Assert.Matches("^[a-z][a-z0-9_]*$", p.Name);
                AssertSnakeCase(p.Value);
            }
        else if (e.ValueKind == JsonValueKind.Array)
            foreach (var item in e.EnumerateArray()) AssertSnakeCase(item);
    }
}
