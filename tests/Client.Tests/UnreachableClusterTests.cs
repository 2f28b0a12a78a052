namespace RnnCluster.Client.Tests;

/// <summary>
/// A cluster that is not there: every command that needs one says so in one line within seconds, exit code 3, never a
/// stack trace; and the ways of naming a cluster that cannot work are bad input before anything connects.
/// </summary>
public class UnreachableClusterTests
{
    [Theory]
    [InlineData("status some-job")]
    [InlineData("status some-job --json")]
    [InlineData("watch some-job")]
    [InlineData("cancel some-job")]
    [InlineData("resume some-job --epochs 30")]
    [InlineData("export some-job --out unused.json")]
    [InlineData("jobs")]
    [InlineData("train --model linear --epochs 1")]
    [InlineData("train --model linear --epochs 1 --no-wait")]
    public void A_dead_gateway_is_one_line_and_exit_code_3_within_seconds(string command)
    {
        string gateway = $"127.0.0.1:{ChildProcess.FreePort()}";   // nothing listens there
        AssertUnavailable([.. command.Split(' '), "--gateway", gateway], $"error: cannot reach the cluster's gateway at {gateway} (connection refused)", "--gateway");
        Assert.False(File.Exists("unused.json"));
    }

    [Fact]
    public void Storage_nobody_answers_is_one_line_and_exit_code_3_within_seconds()
    {
        int closed = ChildProcess.FreePort();   // nothing listens there
        AssertUnavailable(["jobs", "--storage", AzuriteProcess.ConnectionStringFor(closed, closed, closed), "--cluster-id", "some-cluster"],
            $"error: cannot reach the storage of cluster 'some-cluster' at http://127.0.0.1:{closed}/devstoreaccount1 (storage did not answer", "--storage");
    }

    private static void AssertUnavailable(string[] command, string start, string option)
    {
        var (run, took) = CliRun.Timed(command);
        run.AssertUnavailable(took, start, option);
    }

    [Fact]
    public void Gateway_and_storage_together_are_bad_input() =>
        AssertRejected(CliRun.Of("jobs", "--gateway", "127.0.0.1:30000", "--storage", "UseDevelopmentStorage=true"), "--storage", "--gateway");

    [Fact]
    public void A_malformed_connection_string_is_bad_input_and_its_key_is_not_printed()
    {
        var run = CliRun.Of("status", "some-job", "--storage", "AccountName=someone;AccountKey=secret-not-base64!");
        AssertRejected(run, "--storage", "connection string");
        Assert.DoesNotContain("secret", run.Error);
    }

    private static void AssertRejected(CliRun run, params string[] mentions)
    {
        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}: {run.Error}");
        Assert.Single(run.ErrorLines);
        foreach (var m in mentions) Assert.Contains(m, run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }
}
