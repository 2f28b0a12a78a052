namespace RnnCluster.Client.Tests;

/// <summary>Every kind of bad input: exit code 2, one line on stderr naming the field and the value, no stack trace.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void AssertRejected(CliRun run, params string[] mentions)
    {
        Assert.Equal(2, run.ExitCode);
        Assert.Single(run.ErrorLines);
        foreach (var m in mentions) Assert.Contains(m, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
    }

    private string WriteCsv(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Unknown_model() => AssertRejected(CliRun.Of("train", "--model", "deep-rnnn"), "--model", "deep-rnnn", "deep-rnn-dense");

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    [InlineData("-3")]
    public void Epochs_out_of_range(string epochs) => AssertRejected(CliRun.Of("train", "--epochs", epochs), "--epochs", epochs, "1..1000");

    [Fact]
    public void Epochs_not_a_number() => AssertRejected(CliRun.Of("train", "--epochs", "twenty"), "--epochs", "twenty", "allowed 1..1000");

    [Theory]
    [InlineData("--epochs", "99999999999", "allowed 1..1000")]
    [InlineData("--batch-size", "4294967296", "allowed 1..1024")]
    [InlineData("--seed", "-1", "allowed 0..4294967295")]
    [InlineData("--horizon", "1e9", "allowed 1..")]
    [InlineData("--learning-rate", "fast", "allowed greater than 0 and at most 1")]
    public void A_value_its_option_cannot_hold_names_the_option_and_the_allowed_range(string option, string value, string allowed)
    {
        var run = CliRun.Of("train", option, value);
        AssertRejected(run, $"{option}: '{value}'", allowed);
        Assert.DoesNotContain("System.", run.Error);
    }

    [Fact]
    public void A_binary_file_given_as_csv_is_refused_in_one_line()
    {
        string path = Path.Combine(_dir, "program.csv");
        File.WriteAllBytes(path, [0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, .. Enumerable.Range(0, 2000).Select(i => (byte)(i * 7))]);
        AssertRejected(CliRun.Of("train", "--data", path, "--column", "x"), "--data", "program.csv", "is not a text file (byte 0x00 at offset 3)");
    }

    [Fact]
    public void An_unknown_layer_type_in_a_model_file_lists_the_known_ones()
    {
        string path = WriteCsv("model.json", """{"layers": [{"type": "simple_rnn", "units": 20, "return_sequences": true}, {"type": "simple_rn", "units": 1}]}""");
        AssertRejected(CliRun.Of("train", "--model-file", path), "--model-file", "layers[1].type: unknown layer type \"simple_rn\"", "allowed: dense, flatten, simple_rnn, lstm, gru, conv1d, ln_simple_rnn");
        string untyped = WriteCsv("untyped.json", """{"layers": [{"units": 1}]}""");
        AssertRejected(CliRun.Of("train", "--model-file", untyped), "--model-file", "layers[0] has no \"type\"");
    }

    /// <summary>
    /// A model within the parameter limit whose networks would still need gigabytes (sixteen layers over windows of 1000
    /// steps, where the Kubernetes manifests give a silo 2 GiB): refused in the client, naming the model and the limit.
    /// </summary>
    [Fact]
    public void A_model_whose_networks_would_exhaust_a_silo_is_refused()
    {
        string layers = string.Join(", ", Enumerable.Repeat("""{"type": "simple_rnn", "units": 176, "return_sequences": true}""", 15));
        string model = WriteCsv("deep.json", $$"""{"layers": [{{layers}}, {"type": "simple_rnn", "units": 176}, {"type": "dense", "units": 1}]}""");
        string series = WriteCsv("long.csv", "value\n" + string.Join("\n", Enumerable.Range(0, 12000).Select(i => (i % 7 * 0.5).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        AssertRejected(CliRun.Of("train", "--model-file", model, "--data", series, "--column", "value", "--window", "1000"),
            "--model", "windows of 1000 steps", "keep 5986 MB", "allowed at most 1024 MB", "shorter window");   // the README's "about 6 GB"
    }

    [Theory]
    [InlineData("0")]
    [InlineData("4096")]
    public void Batch_size_out_of_range(string size) => AssertRejected(CliRun.Of("train", "--batch-size", size), "--batch-size", size, "1..1024");

    [Fact]
    public void Learning_rate_out_of_range() => AssertRejected(CliRun.Of("train", "--learning-rate", "2"), "--learning-rate", "2");

    [Fact]
    public void Missing_file() =>
        AssertRejected(CliRun.Of("train", "--data", Path.Combine(_dir, "absent.csv"), "--column", "x"), "--data", "absent.csv");

    [Fact]
    public void Missing_column() =>
        AssertRejected(CliRun.Of("train", "--data", Repository.ExampleData("seattle-weather.csv"), "--column", "tmax"), "--column", "tmax", "temp_max");

    [Fact]
    public void Text_column() =>
        AssertRejected(CliRun.Of("train", "--data", Repository.ExampleData("seattle-weather.csv"), "--column", "weather"), "--column", "weather");

    [Fact]
    public void Non_numeric_cell()
    {
        string path = WriteCsv("bad.csv", "t,value\n1,0.5\n2,abc\n3,0.7\n");
        AssertRejected(CliRun.Of("train", "--data", path, "--column", "value"), "--column", "abc", "3");
    }

    [Fact]
    public void NaN_cell()
    {
        string path = WriteCsv("nan.csv", "t,value\n1,0.5\n2,NaN\n3,0.7\n");
        AssertRejected(CliRun.Of("train", "--data", path, "--column", "value"), "--column", "NaN");
    }

    [Fact]
    public void Series_too_short_for_the_window()
    {
        string rows = string.Join("\n", Enumerable.Range(0, 40).Select(i => $"{i},{Math.Sin(i * 0.3):R}"));
        string path = WriteCsv("short.csv", "t,value\n" + rows + "\n");
        AssertRejected(CliRun.Of("train", "--data", path, "--column", "value", "--window", "50"), "--window", "50");
    }

    [Fact]
    public void Column_without_data() => AssertRejected(CliRun.Of("train", "--column", "temp_max"), "--column");

    [Theory]
    [InlineData("3")]
    [InlineData("16")]
    [InlineData("0")]
    public void Shard_count_not_a_power_of_two_within_the_batch_tree(string shards) =>
        AssertRejected(CliRun.Of("train", "--shards", shards), "--shards", shards, "power of two");

    [Fact]
    public void Status_without_a_cluster() => AssertRejected(CliRun.Of("status", "some-job"), "--gateway");

    [Fact]
    public void No_wait_without_a_cluster() => AssertRejected(CliRun.Of("train", "--no-wait"), "--no-wait");

    [Fact]
    public void Malformed_gateway() => AssertRejected(CliRun.Of("jobs", "--gateway", "localhost"), "--gateway", "host:port");

    [Fact]
    public void Clipnorm_not_positive() => AssertRejected(CliRun.Of("train", "--clipnorm", "0"), "--clipnorm", "0");

    [Fact]
    public void Horizon_out_of_range() => AssertRejected(CliRun.Of("train", "--model", "linear", "--horizon", "0"), "--horizon", "0");

    [Fact]
    public void Horizon_for_a_one_step_only_model() => AssertRejected(CliRun.Of("train", "--model", "deep-rnn", "--horizon", "10"), "--horizon", "10", "deep-rnn");

    [Fact]
    public void Difference_on_the_chapters_series() => AssertRejected(CliRun.Of("train", "--difference", "12"), "--difference");

    [Fact]
    public void Difference_period_longer_than_the_series()
    {
        string path = WriteCsv("short-season.csv", "t,value\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i => $"{i},{i * 0.5}")) + "\n");
        AssertRejected(CliRun.Of("train", "--data", path, "--column", "value", "--window", "5", "--difference", "40"), "--difference", "40");
    }

    public static TheoryData<string> BadJobIds => new() { "has space", "has/slash", new string('j', 65), "-leading-dash", "" };

    // a gateway nothing listens on: were the id checked after connecting, the exit code would be 3
    private static string DeadGateway() => $"127.0.0.1:{ChildProcess.FreePort()}";

    [Theory]
    [MemberData(nameof(BadJobIds))]
    public void Train_checks_the_job_id_before_connecting(string id) =>
        AssertRejected(CliRun.Of("train", "--model", "linear", "--epochs", "1", "--job-id", id, "--gateway", DeadGateway()), "--job-id");

    [Theory]
    [MemberData(nameof(BadJobIds))]
    public void Job_commands_check_the_job_id_before_connecting(string id)
    {
        foreach (var command in new[] { "status", "watch", "cancel", "resume" })
            AssertRejected(CliRun.Of(command, id, "--gateway", DeadGateway()), "JOB");
        AssertRejected(CliRun.Of("export", id, "--out", Path.Combine(_dir, "m.json"), "--gateway", DeadGateway()), "JOB");
    }

    [Fact]
    public void A_job_id_leaves_room_for_its_baselines_name()
    {
        string id = new('j', 50);   // a valid id, but its baseline's, id + "-linear-baseline", would have 66 characters
        AssertRejected(CliRun.Of("train", "--model", "deep-rnn", "--job-id", id, "--gateway", DeadGateway()), "--job-id", "48", "-linear-baseline");
    }

    [Fact]
    public void Resume_epochs_out_of_range() => AssertRejected(CliRun.Of("resume", "some-job", "--epochs", "0", "--gateway", DeadGateway()), "--epochs", "1..1000");
}
