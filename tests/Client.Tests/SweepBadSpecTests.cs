namespace RnnCluster.Client.Tests;

/// <summary>
/// A sweep spec that cannot be used is exit code 2 and one line naming the spec's field, before any cluster is
/// contacted: each test names a gateway where nothing listens, so reaching for it would be exit 3 and its own line.
/// </summary>
public sealed class SweepBadSpecTests : IDisposable
{
    private const string Nowhere = "127.0.0.1:1";
    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-sweep-spec-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Spec(string json, string name = "spec.json")
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, json);
        return path;
    }

    private static void AssertRejected(CliRun run, string field, params string[] mentions)
    {
        Assert.True(run.ExitCode == 2, $"exit {run.ExitCode}: {run.Error}");
        Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: {field}: ", run.Error);
        foreach (var m in mentions) Assert.Contains(m, run.Error);
        Assert.DoesNotContain("gateway", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
        Assert.Equal("", run.Output);
    }

    [Fact]
    public void A_missing_spec_file_names_SPEC_and_the_path() =>
        AssertRejected(CliRun.Of("sweep", Path.Combine(_dir, "absent.json"), "--gateway", Nowhere), "SPEC", "absent.json", "not found");

    [Fact]
    public void A_folder_is_not_a_spec_file() =>
        AssertRejected(CliRun.Of("sweep", _dir, "--gateway", Nowhere), "SPEC", "folder");

    [Fact]
    public void Invalid_json_is_the_documents_error() =>
        AssertRejected(CliRun.Of("sweep", Spec("{ \"model\": \"linear\", "), "--gateway", Nowhere), "sweep spec", "not valid JSON");

    [Fact]
    public void An_unknown_space_key_is_named_with_its_path() =>
        AssertRejected(CliRun.Of("sweep", Spec("""{"model": "linear", "space": {"learning_rat": {"values": [0.01]}}}"""), "--gateway", Nowhere),
            "space.learning_rat", "unknown key", "learning_rate");

    [Fact]
    public void A_grid_over_too_many_points_is_refused()
    {
        string rates = string.Join(", ", Enumerable.Range(1, 40).Select(i => $"0.{i:000}"));
        string batches = string.Join(", ", Enumerable.Range(1, 30));
        var run = CliRun.Of("sweep", Spec("""{"model": "linear", "space": {"learning_rate": {"values": [""" + rates + """]}, "batch_size": {"values": [""" + batches + "]}}}"),
            "--gateway", Nowhere);
        AssertRejected(run, "space", "1200", "1000");
    }

    [Fact]
    public void A_missing_csv_file_is_named_as_the_specs_field_relative_to_the_spec()
    {
        var run = CliRun.Of("sweep", Spec("""{"model": "linear", "data": {"csv": "absent.csv", "column": "x"}}"""), "--gateway", Nowhere);
        AssertRejected(run, "data.csv", Path.Combine(_dir, "absent.csv"));
    }

    [Fact]
    public void A_missing_csv_column_is_named_as_the_specs_field()
    {
        File.WriteAllText(Path.Combine(_dir, "series.csv"), "t,x\n" + string.Join("\n", Enumerable.Range(0, 100).Select(i => $"{i},{i % 7}")));
        var run = CliRun.Of("sweep", Spec("""{"model": "linear", "data": {"csv": "series.csv", "column": "y", "window": 10}}"""), "--gateway", Nowhere);
        AssertRejected(run, "data.column", "'y'");
    }

    [Theory]
    [InlineData("bad/id", "not a sweep id")]
    [InlineData("a-sweep-id-of-forty-nine-characters-is-1-too-many", "at most 48")]
    public void A_bad_sweep_id_is_refused(string id, string mention) =>
        AssertRejected(CliRun.Of("sweep", Spec("""{"model": "linear", "space": {"epochs": 1}}"""), "--sweep-id", id, "--gateway", Nowhere),
            "--sweep-id", mention);

    [Fact]
    public void No_wait_needs_a_running_cluster()
    {
        var run = CliRun.Of("sweep", Spec("""{"model": "linear", "space": {"epochs": 1}}"""), "--no-wait");
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.StartsWith("error: --no-wait: needs a running cluster", run.Error);
    }

    [Theory]
    [InlineData("status")]
    [InlineData("watch")]
    [InlineData("cancel")]
    [InlineData("resume")]
    public void A_sweep_command_checks_the_id_before_connecting(string command)
    {
        var run = CliRun.Of("sweep", command, ".hidden", "--gateway", Nowhere);
        AssertRejected(run, "SWEEP", "'.hidden'", "not a sweep id");
    }

    [Fact]
    public void A_sweep_command_without_a_cluster_says_it_needs_one()
    {
        var run = CliRun.Of("sweep", "status", "sweep-1");
        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith("error: --gateway: missing: this command needs a running cluster", run.Error);
    }

    [Fact]
    public void A_good_spec_gets_as_far_as_the_gateway()
    {
        // the control of the tests above: with nothing wrong in the spec, the unreachable gateway is the error
        var run = CliRun.Of("sweep", Spec("""{"model": "linear", "space": {"learning_rate": {"values": [0.001, 0.01]}, "epochs": 1}}"""), "--gateway", Nowhere);
        Assert.Equal(3, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.Contains("gateway at 127.0.0.1:1", run.Error);
    }
}
