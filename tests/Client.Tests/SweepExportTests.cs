using System.Text.Json;

namespace RnnCluster.Client.Tests;

/// <summary>
/// The files <c>sweep export</c> writes, from a sweep status made here: trials.csv has a row a trial in index order,
/// the fixed columns, a column a searched key in the space's order, and valid_mse_1..N; trials.json the whole status.
/// </summary>
public sealed class SweepExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnncluster-sweep-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_csv_has_a_row_a_trial_a_column_a_key_and_one_an_epoch()
    {
        var lines = SweepExport.Csv(SweepStatuses.Mixed()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
        [
            "index,state,seed,job_id,epochs,metric,test_mse,weights_hash,learning_rate,units,valid_mse_1,valid_mse_2,valid_mse_3",
            "0,completed,11,sweep-1-t0,3,0.0125,0.0131,0123456789abcdef,0.001,16,0.05,0.03,0.0125",
            "1,stopped,22,sweep-1-t1,1,0.5,,fedcba9876543210,0.1,,0.5,,",
            "2,completed,33,sweep-1-t2,3,0.0075,0.008,00112233445566aa,0.01,32,0.02,0.01,0.0075",
            "3,failed,44,sweep-1-t3,2,,,,0.9,,0.7,NaN,",
        ], lines);
    }

    [Fact]
    public void A_searched_epochs_column_is_told_from_the_epochs_trained()
    {
        var status = SweepStatuses.Mixed();
        var stopped = status.Trials[1] with { Values = new() { ["learning_rate"] = "0.1", ["epochs"] = "3" } };
        var lines = SweepExport.Csv(status with { Trials = [stopped] }).Split('\n');
        Assert.Equal("index,state,seed,job_id,epochs,metric,test_mse,weights_hash,learning_rate,space.epochs,valid_mse_1", lines[0]);
        Assert.Equal("1,stopped,22,sweep-1-t1,1,0.5,,fedcba9876543210,0.1,3,0.5", lines[1]);
    }

    [Fact]
    public void A_sweep_without_trials_is_a_header_only()
    {
        var empty = SweepStatuses.Mixed() with { Trials = [] };
        Assert.Equal("index,state,seed,job_id,epochs,metric,test_mse,weights_hash\n", SweepExport.Csv(empty));
    }

    [Fact]
    public void A_cell_with_a_comma_is_quoted()
    {
        var status = SweepStatuses.Mixed();
        var odd = status with { Trials = [status.Trials[0] with { Values = new() { ["model"] = "a,\"b\"" } }] };
        Assert.EndsWith(",\"a,\"\"b\"\"\",0.05,0.03,0.0125\n", SweepExport.Csv(odd));
    }

    [Fact]
    public void Writes_both_files_to_a_new_folder_and_the_json_is_the_whole_status()
    {
        string folder = Path.Combine(_dir, "out", "sweep-1");
        var (csv, json) = SweepExport.WriteTrials(SweepStatuses.Mixed(), folder);

        Assert.Equal(Path.Combine(folder, "trials.csv"), csv);
        Assert.Equal(5, File.ReadAllLines(csv).Length);
        var root = JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal("sweep-1", root.GetProperty("sweep_id").GetString());
        Assert.Equal("completed", root.GetProperty("state").GetString());
        Assert.Equal(2, root.GetProperty("best_trial").GetInt32());
        Assert.Equal(0.0041, root.GetProperty("linear_valid_mse").GetDouble());
        var trials = root.GetProperty("trials");
        Assert.Equal(4, trials.GetArrayLength());
        Assert.Equal("stopped", trials[1].GetProperty("state").GetString());
        Assert.Equal("0.01", trials[2].GetProperty("values").GetProperty("learning_rate").GetString());
        // JSON has no NaN: the diverged epoch is null
        Assert.Equal(JsonValueKind.Null, trials[3].GetProperty("valid_mse")[1].ValueKind);
        Assert.Equal(JsonValueKind.Null, trials[3].GetProperty("metric").ValueKind);
        Assert.Equal(2, root.GetProperty("counts").GetProperty("completed").GetInt32());
    }

    [Fact]
    public void A_folder_that_cannot_be_written_is_bad_input_naming_out()
    {
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "");
        var e = Assert.Throws<RnnCluster.Numerics.InvalidInputException>(() => SweepExport.WriteTrials(SweepStatuses.Mixed(), Path.Combine(file, "sub")));
        Assert.Equal("--out", e.Field);
    }
}
