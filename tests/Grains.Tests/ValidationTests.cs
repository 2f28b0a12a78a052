using System.Diagnostics;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// The coordinator checks every spec before it creates anything: a bad one comes back Rejected with an error naming
/// the field, and leaves no job, no registry entry and no shard behind. A job id in use cannot be started again.
/// </summary>
[Collection(ClusterCollection.Name)]
public class ValidationTests(ClusterFixture cluster)
{
    private static readonly TrainingSettings Valid = new(Epochs: 1);

    private static JobSpec Invalid(string name) => name switch
    {
        "epochs 0" => Jobs.Spec("deep-rnn-dense", Valid with { Epochs = 0 }),
        "batch size 5000" => Jobs.Spec("deep-rnn-dense", Valid with { BatchSize = 5000 }),
        "3 shards" => Jobs.Spec("deep-rnn-dense", Valid, shards: 3),
        "16 shards for batch 32" => Jobs.Spec("deep-rnn-dense", Valid with { BatchSize = 32 }, shards: 16),
        "learning rate 0" => Jobs.Spec("deep-rnn-dense", Valid with { LearningRate = 0 }),
        "units 0" => Jobs.Spec("deep-rnn-dense", Valid) with
        {
            ModelJson = new ModelSpec([new SimpleRnnSpec(20, true), new SimpleRnnSpec(0), new DenseSpec(1)]).ToJson(),
        },
        "malformed json" => Jobs.Spec("deep-rnn-dense", Valid) with { ModelJson = "{\"layers\": [{\"type\": \"simple_rnn\", \"units\": 20" },
        "window 0" => Jobs.Spec("deep-rnn-dense", Valid) with { Data = Csv([Wave(200)], window: 0) },
        "columns of different length" => Jobs.Spec("deep-rnn-dense", Valid) with { Data = Csv([Wave(200), Wave(199)]) },
        "too many values" => Jobs.Spec("deep-rnn-dense", Valid) with
        {
            Data = Csv([Wave(DataSpec.MaxValues / 2 + 1), Wave(DataSpec.MaxValues / 2 + 1)]),
        },
        "windows too large" => Jobs.Spec("deep-rnn-dense", Valid) with { Data = Csv([Wave(100_000)], window: 500) },
        "gradient slots too large" => Jobs.Spec("deep-rnn-dense", Valid with { BatchSize = 1024 }) with
        {
            ModelJson = new ModelSpec([new SimpleRnnSpec(400, true), new SimpleRnnSpec(400), new DenseSpec(1)]).ToJson(),
        },
        // 1,000,000 parameters, but sixteen layers of 1000 steps keep gigabytes for a block of 32 windows
        "networks too large" => Jobs.Spec("deep-rnn-dense", Valid) with
        {
            ModelJson = new ModelSpec([.. Enumerable.Range(0, 15).Select(_ => new SimpleRnnSpec(176, true)), new SimpleRnnSpec(176), new DenseSpec(1)]).ToJson(),
            Data = Csv([Wave(12000)], window: 1000),
        },
        // 65,000 parameters on the chapter's windows of 50 steps, but its causal padding keeps 32,256 steps of 1024 filters a window
        "a dilated convolution's padding too large" => Jobs.Spec("deep-rnn-dense", Valid) with
        {
            ModelJson = new ModelSpec([new Conv1DSpec(1024, 64, Padding: "causal", DilationRate: 512), new GruSpec(1)]).ToJson(),
        },
        "sequence targets ending before the last step" => Jobs.Spec("deep-rnn-dense", Valid) with
        {
            Task = new TaskSpec(10, Sequence: true, Iterative: false, TargetStart: 0, TargetStride: 2),
        },
        "classical baselines on the chapter's data" => Jobs.Spec("linear", Valid) with { Classical = new ClassicalSpec(Season: 12) },
        "a season longer than the training part" => Jobs.Spec("linear", Valid) with { Data = Csv([Wave(200)], window: 10), Classical = new ClassicalSpec(Season: 1000) },
        "an ARIMA order out of range" => Jobs.Spec("linear", Valid) with { Data = Csv([Wave(200)], window: 10), Classical = new ClassicalSpec(ArimaOrder: "11,0,0") },
        _ => throw new ArgumentException(name),
    };

    private static DataSpec Csv(double[][] columns, int window = 50) => new(0, "test.csv", columns, window);

    private static double[] Wave(int length) => Enumerable.Range(0, length).Select(i => Math.Sin(i * 0.1)).ToArray();

    [Theory]
    [InlineData("epochs 0", "epochs")]
    [InlineData("batch size 5000", "batch_size")]
    [InlineData("3 shards", "shards")]
    [InlineData("16 shards for batch 32", "shards")]
    [InlineData("learning rate 0", "learning_rate")]
    [InlineData("units 0", "model")]
    [InlineData("malformed json", "model")]
    [InlineData("window 0", "window")]
    [InlineData("columns of different length", "data")]
    [InlineData("too many values", "data")]
    [InlineData("sequence targets ending before the last step", "model")]
    [InlineData("windows too large", "window")]
    [InlineData("gradient slots too large", "batch_size")]
    [InlineData("networks too large", "model")]
    [InlineData("a dilated convolution's padding too large", "model")]
    [InlineData("classical baselines on the chapter's data", "season")]
    [InlineData("a season longer than the training part", "season")]
    [InlineData("an ARIMA order out of range", "arima")]
    public async Task An_invalid_spec_is_rejected_naming_the_field_and_leaves_nothing_behind(string invalid, string field)
    {
        string jobId = Jobs.NewId("invalid");
        var job = cluster.Job(jobId);
        var spec = Invalid(invalid);

        var rejected = await job.Start(spec);

        Assert.True(rejected.State == JobState.Rejected, Jobs.Describe(rejected));
        Assert.Equal(jobId, rejected.JobId);
        Assert.NotNull(rejected.Error);
        Assert.True(rejected.Error.Field == field || rejected.Error.Field.StartsWith(field + " "), $"{invalid}: the error should name {field}: '{rejected.Error}'");
        Assert.Equal(JobErrorKind.BadInput, rejected.Error.Kind);
        Assert.Empty(rejected.ShardSilos);
        Assert.Null(rejected.WeightsHash);
        await AssertNothingLeft(jobId);
    }

    /// <summary>
    /// A layer without its "type" makes System.Text.Json throw NotSupportedException, not JsonException; ModelSpec.FromJson
    /// turns that into bad input too, so Start answers Rejected naming the model.
    /// </summary>
    [Fact]
    public async Task A_layer_without_a_type_is_rejected_naming_the_model()
    {
        string jobId = Jobs.NewId("untyped-layer");
        var job = cluster.Job(jobId);
        var spec = Jobs.Spec("deep-rnn-dense", Valid) with { ModelJson = "{\"layers\": [{\"units\": 20}]}" };

        var rejected = await job.Start(spec);

        Assert.True(rejected.State == JobState.Rejected, Jobs.Describe(rejected));
        Assert.NotNull(rejected.Error);
        Assert.Equal("model", rejected.Error.Field);
        await AssertNothingLeft(jobId);
    }

    /// <summary>
    /// The parameter limit is there so that one request cannot exhaust a silo, so a model over it must be turned away
    /// before its buffers are allocated: SimpleRNN(1024, seq) -> Flatten -> Dense(1024) on the chapter's 50 steps has
    /// 53 million parameters (Dense's transposed-kernel buffer alone is 210 MB).
    /// </summary>
    [Fact]
    public async Task A_model_over_the_parameter_limit_is_rejected_before_its_buffers_are_allocated()
    {
        string jobId = Jobs.NewId("too-big");
        var job = cluster.Job(jobId);
        var spec = Jobs.Spec("deep-rnn-dense", Valid) with
        {
            ModelJson = new ModelSpec([new SimpleRnnSpec(1024, true), new FlattenSpec(), new DenseSpec(1024)]).ToJson(),
        };

        long before = GC.GetTotalAllocatedBytes(precise: true);
        var rejected = await job.Start(spec);
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(rejected.State == JobState.Rejected, Jobs.Describe(rejected));
        Assert.NotNull(rejected.Error);
        Assert.Equal("model", rejected.Error.Field);
        Assert.True(allocated < 64_000_000, $"rejecting the spec allocated {allocated / 1e6:0} MB in the process (silos and client)");
        await AssertNothingLeft(jobId);
    }

    [Fact]
    public async Task A_rejected_job_id_can_then_be_started_with_a_valid_spec()
    {
        string jobId = Jobs.NewId("rejected-then-valid");
        var job = cluster.Job(jobId);
        var rejected = await job.Start(Invalid("3 shards"));
        Assert.True(rejected.State == JobState.Rejected, Jobs.Describe(rejected));
        await AssertNothingLeft(jobId);

        var settings = new TrainingSettings(Epochs: 1);
        var started = await job.Start(Jobs.Spec("linear", settings, shards: 2));
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));
        var finished = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(1));
        Assert.True(finished.State == JobState.Completed, Jobs.Describe(finished));
        Assert.Equal(LocalHash("linear", settings), finished.WeightsHash);
        Assert.Contains(jobId, (await Registry().List()).Items.Select(j => j.JobId));
        await AssertSilosAlive();
    }

    [Fact]
    public async Task Starting_a_job_id_in_use_is_rejected_naming_job_id_and_leaves_the_job_alone()
    {
        string jobId = Jobs.NewId("twice");
        var job = cluster.Job(jobId);
        var settings = new TrainingSettings(Epochs: 10);
        var started = await job.Start(Jobs.Spec("linear", settings, shards: 2));
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));

        // While it runs: a different spec under the same id.
        var again = await job.Start(Jobs.Spec("deep-rnn", new TrainingSettings(Epochs: 3), shards: 4));
        var during = await job.GetStatus();
        Assert.True(during.State == JobState.Running, "the job should still be running for this test: " + Jobs.Describe(during));
        Assert.True(again.State == JobState.Rejected, Jobs.Describe(again));
        Assert.NotNull(again.Error);
        Assert.Equal("job_id", again.Error.Field);
        Assert.Equal("linear", during.Model);
        Assert.Equal(10, during.Epochs);
        Assert.Equal(2, during.ShardSilos.Length);

        var finished = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(2));
        Assert.True(finished.State == JobState.Completed, Jobs.Describe(finished));
        Assert.Equal(10, finished.History.Length);
        Assert.Equal(10L * 219, finished.Step);
        Assert.Equal(LocalHash("linear", settings), finished.WeightsHash);

        // Once finished: still rejected, and the finished job is unchanged.
        var afterwards = await job.Start(Jobs.Spec("linear", settings, shards: 2));
        Assert.True(afterwards.State == JobState.Rejected, Jobs.Describe(afterwards));
        Assert.NotNull(afterwards.Error);
        Assert.Equal("job_id", afterwards.Error.Field);
        var still = await job.GetStatus();
        Assert.Equal(JobState.Completed, still.State);
        Assert.Equal(finished.WeightsHash, still.WeightsHash);
        Assert.Equal(finished.Step, still.Step);
        Assert.Equal(finished.ValidMse, still.ValidMse);
        Assert.Equal(1, ((await Registry().List()).Items.Select(j => j.JobId)).Count(id => id == jobId));
        await AssertSilosAlive();
    }

    // A start whose answer was lost (a silo hung, a timeout) is sent again by the client with its start token: the same
    // start, answered with the job's status; a start of another token, or of none, is still refused.
    [Fact]
    public async Task The_same_start_sent_again_is_answered_with_the_status_and_any_other_start_is_refused()
    {
        var job = cluster.Job(Jobs.NewId("resent"));
        var spec = Jobs.Spec("linear", new TrainingSettings(Epochs: 2), shards: 2) with { StartToken = "first-start" };
        var started = await job.Start(spec);
        Assert.True(started.State == JobState.Running, Jobs.Describe(started));

        var resent = await job.Start(spec);
        Assert.True(resent.State is JobState.Running or JobState.Completed && resent.Error is null, Jobs.Describe(resent));
        Assert.Equal(started.Run, resent.Run);
        foreach (var other in new[] { spec with { StartToken = "another-start" }, spec with { StartToken = null } })
        {
            var refused = await job.Start(other);
            Assert.True(refused.State == JobState.Rejected && refused.Error is { Kind: JobErrorKind.Conflict, Field: "job_id" }, Jobs.Describe(refused));
        }

        var finished = await Jobs.WaitUntilFinished(job, TimeSpan.FromMinutes(1));
        Assert.True(finished.State == JobState.Completed, Jobs.Describe(finished));
        Assert.Equal(2, finished.History.Length);
        Assert.Equal(LocalHash("linear", new TrainingSettings(Epochs: 2)), finished.WeightsHash);
        Assert.Equal(finished.WeightsHash, (await job.Start(spec)).WeightsHash);   // after its end too
    }

    private IJobRegistryGrain Registry() => cluster.GrainFactory.GetGrain<IJobRegistryGrain>(0);

    // A call straight to a grain that the client does not make (a shard's Prepare) with a spec that is out of range:
    // the caller gets the project's exception, naming the field, not "Could not find a codec"; the silos go on
    [Fact]
    public async Task A_grain_call_that_throws_bad_input_reaches_its_caller_naming_the_field()
    {
        string id = Jobs.NewId("shard-bad-input");
        var shard = cluster.GrainFactory.GetGrain<IShardWorkerGrain>(0, id);
        var e = await Assert.ThrowsAnyAsync<Exception>(() => shard.Prepare(Invalid("epochs 0"), run: 1));
        Assert.True(e is InvalidInputException { Field: "epochs" }, $"{e.GetType()}: {e.Message}");
        Assert.Contains("allowed 1..", e.Message);
        await AssertSilosAlive();
    }

    private static string LocalHash(string model, TrainingSettings settings) =>
        Trainer.Train(Jobs.Model(model), Jobs.Chapter, Jobs.Options(settings)).WeightsHash;

    /// <summary>No registry entry, no shard activation, and the coordinator's activation goes away and forgets the job.</summary>
    private async Task AssertNothingLeft(string jobId)
    {
        Assert.DoesNotContain(jobId, (await Registry().List()).Items.Select(j => j.JobId));
        for (int k = 0; k < 16; k++)   // 16: the largest shard count a case asks for
            Assert.False(cluster.IsActive(cluster.GrainFactory.GetGrain<IShardWorkerGrain>(k, jobId)), $"shard {k} of rejected job {jobId} was activated");
        var job = cluster.Job(jobId);
        var clock = Stopwatch.StartNew();
        while (cluster.IsActive(job))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"the coordinator of rejected job {jobId} stays active");
            await Task.Delay(50);
        }
        var status = await job.GetStatus();
        Assert.Equal(JobState.Unknown, status.State);
        Assert.Equal(0, status.Step);
        Assert.Null(status.Error);
    }

    private async Task AssertSilosAlive()
    {
        Assert.Equal(ClusterFixture.SiloCount, cluster.Cluster.GetActiveSilos().Count());
        var hosts = await cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        Assert.Equal(ClusterFixture.SiloCount, hosts.Count);
    }
}
