using System.CommandLine;
using System.Text.Json;
using RnnCluster.Grains;
using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics;
using RnnCluster.Numerics.Classical;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Client;

/// <summary>
/// <c>rnncluster train</c>: submits a job to a cluster (an embedded one when none is configured) with a second job
/// for the linear baseline on the same split, follows it, and ends with the model's validation and test MSE beside
/// the naive and linear baselines and the hash of its weights. The job names its baseline job (id + "-linear-baseline"),
/// so cancelling it cancels both. On a running cluster both jobs start at once and go on if the client exits; on the
/// embedded silo the baseline starts when the model's job has completed.
/// </summary>
public static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var model = new Option<string>("--model") { Description = "Model name (see `rnncluster models`)", DefaultValueFactory = _ => "deep-rnn" };
        var modelFile = new Option<string?>("--model-file") { Description = "A model described in a JSON file in the ModelSpec format (instead of --model)" };
        var epochs = new Option<int?>("--epochs") { Description = $"Epochs, 1..{TrainingOptions.MaxEpochs} (default {TrainingSettings.DefaultEpochs}; on --data, without --early-stopping either, at most {TrainingSchedule.DataEpochCap} with early stopping)" };
        var batchSize = new Option<int>("--batch-size") { Description = $"Mini-batch size, 1..{TrainingOptions.MaxBatchSize}", DefaultValueFactory = _ => TrainingSettings.DefaultBatchSize };
        var learningRate = new Option<float?>("--learning-rate") { Description = "Adam's learning rate, (0, 1] (default 0.001, or the chapter's rate for the model)" };
        var horizon = new Option<int?>("--horizon") { Description = $"Steps ahead to forecast, 1..{ForecastTask.MaxHorizon} (default: the model's, 1 or 10)" };
        var seed = new Option<uint>("--seed") { Description = "Seed of initialisation and shuffling", DefaultValueFactory = _ => TrainingSettings.DefaultSeed };
        var dataSeed = new Option<int>("--data-seed") { Description = "Seed of the chapter's generated series", DefaultValueFactory = _ => ChapterSeries.DefaultSeed };
        var data = new Option<string?>("--data") { Description = "CSV file with a header row (instead of the chapter's series); an empty cell is a gap, and windows touching one are skipped" };
        var column = new Option<string?>("--column") { Description = "Numeric column of the --data file to forecast; several, comma-separated, make a multivariate input that forecasts the first" };
        var window = new Option<int>("--window") { Description = $"Input steps per window of --data, 1..{SeriesWindows.MaxWindow}", DefaultValueFactory = _ => DataSpec.DefaultWindow };
        var difference = new Option<int[]>("--difference") { Description = "Difference the --data series by this period before training (repeatable, applied in order); forecasts and MSEs are undone to the series' units" };
        var earlyStopping = new Option<int?>("--early-stopping") { Description = $"Stop after this many epochs without a better validation MSE, keeping the best weights; 0..{TrainingOptions.MaxEpochs}, 0: off (default off; on --data, without --epochs either, {TrainingSchedule.DataPatience})" };
        var fit = new Option<string?>("--fit") { Description = "How the linear model is fitted: adam (the default) or least-squares (its training optimum in closed form; the linear baseline beside a model on --data always is)" };
        var shards = new Option<int>("--shards") { Description = "Shard workers per batch: a power of two, at most the batch's micro-shards of 4 rounded up", DefaultValueFactory = _ => 1 };
        var jobId = new Option<string?>("--job-id") { Description = "Id of the job (default: model name and time)" };
        var noWait = new Option<bool>("--no-wait") { Description = "Submit to a running cluster (--gateway or --storage), print the job ids and exit; follow with `watch`" };
        var clipNorm = new Option<float?>("--clipnorm") { Description = "Clip each weight tensor's gradient to this L2 norm (Keras clipnorm)" };
        var globalClipNorm = new Option<float?>("--global-clipnorm") { Description = "Clip all gradients together to this L2 norm (Keras global_clipnorm)" };
        var season = new Option<int?>("--season") { Description = "With --data: add the seasonal naive forecast (the value this many steps earlier) to the table" };
        var wma = new Option<int?>("--wma") { Description = $"With --data: the weighted moving average's length (default {WeightedMovingAverage.DefaultLength}, at most the window)" };
        var arima = new Option<string?>("--arima") { Description = "With --data: the ARIMA order p,d,q (default: chosen by AIC over p 0..3, d 0..1, q 0..2 on the training part)" };
        var clipValue = new Option<float?>("--clipvalue") { Description = "Clip every gradient element to [-v, v] (Keras clipvalue)" };
        var save = new Option<string?>("--save") { Description = "Write the trained model (spec, preprocessing, weights in Keras layout) to this JSON file" };
        var plot = new Option<string?>("--plot") { Description = "Write learning-curves.png and forecast.png (the last validation window) to this folder" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON (progress goes to stderr)" };
        var cluster = new ClusterCommandOptions();

        var command = new Command("train", "Train a model on the cluster and compare it with the naive and linear baselines.")
        {
            model, modelFile, epochs, batchSize, fit, learningRate, horizon, seed, dataSeed, data, column, window, difference, earlyStopping, clipNorm, globalClipNorm, clipValue, season, wma, arima, shards, jobId, noWait, save, plot, json,
        };
        cluster.AddTo(command);
        command.SetAction(async (parse, cancellation) =>
        {
            if (parse.GetValue(jobId) is string given) JobIds.Validate(given, "--job-id");
            var dataSpec = new DataSource(parse.GetValue(dataSeed), parse.GetValue(data), parse.GetValue(column), parse.GetValue(window), parse.GetValue(difference)).ToSpec();
            var entry = parse.GetValue(modelFile) is string specFile ? FromFile(specFile, dataSpec) : ModelCatalogue.Find(parse.GetValue(model)!);
            var task = entry.TaskFor(parse.GetValue(horizon));
            float? lr = parse.GetValue(learningRate);
            bool leastSquares = FitOf(parse.GetValue(fit));
            var schedule = TrainingSchedule.For(dataSpec.IsChapter, leastSquares, parse.GetValue(epochs), parse.GetValue(earlyStopping));
            var settings = new TrainingSettings(schedule.Epochs, parse.GetValue(batchSize), lr ?? entry.LearningRate ?? TrainingSettings.DefaultLearningRate,
                parse.GetValue(seed), schedule.Patience, ClipNorm: parse.GetValue(clipNorm),
                GlobalClipNorm: parse.GetValue(globalClipNorm), ClipValue: parse.GetValue(clipValue), LeastSquares: leastSquares);
            var linear = ModelCatalogue.Find("linear");
            var linearTask = new ForecastTask(ForecastKind.Vector, task.Horizon);
            int shardCount = parse.GetValue(shards);
            var mainModel = entry.SpecFor(task);
            bool withBaseline = mainModel is not null && entry.Name != "linear";
            string id = JobId(parse.GetValue(jobId), entry.Name, withBaseline);
            string? baselineId = withBaseline ? id + BaselineSuffix : null;
            if (dataSpec.IsChapter)
                foreach (var (name, isSet) in new[] { ("--season", parse.GetValue(season) is not null), ("--wma", parse.GetValue(wma) is not null), ("--arima", parse.GetValue(arima) is not null) })
                    if (isSet) throw new InvalidInputException(name, "applies to a --data series; the chapter's data are 10,000 separate series of 50 steps");
            // the classical baselines are computed by the linear job (the baseline, or the model when it is the linear one)
            var classical = dataSpec.IsChapter ? null : new ClassicalSpec(parse.GetValue(season), parse.GetValue(wma), parse.GetValue(arima));
            var main = mainModel is null ? null
                : new JobSpec(entry.Name, mainModel.ToJson(), dataSpec, settings, shardCount, TaskSpecs.From(task), baselineId,
                    Classical: entry.Name == "linear" ? classical : null);
            // the linear baseline: on a CSV series its training optimum (least squares), on the chapter's series trained
            // as the model is (the chapter's Adam-trained figure)
            var baselineSettings = dataSpec.IsChapter ? settings with { LearningRate = lr ?? 1e-3f }
                : new TrainingSettings(Epochs: 1, BatchSize: settings.BatchSize, Seed: settings.Seed, LeastSquares: true);
            var baseline = entry.Name == "linear" ? null
                : new JobSpec(linear.Name, linear.SpecFor(linearTask)!.ToJson(), dataSpec, baselineSettings, shardCount, TaskSpecs.From(linearTask),
                    Classical: classical);
            // The door: the same checks the coordinator makes, before anything starts.
            var plans = new[] { main, baseline }.Where(spec => spec is not null).Select(spec => JobPlan.From(spec!)).ToArray();

            var target = cluster.Target(parse);
            bool asJson = parse.GetValue(json), detach = parse.GetValue(noWait);
            if (detach && target is null)
                throw new InvalidInputException("--no-wait", $"needs a running cluster (--gateway or {ClusterTarget.GatewayVariable}, --storage or {ClusterTarget.StorageVariable}): an embedded cluster ends with this process");
            var progress = asJson || detach ? error : output;

            await using var connection = await ClusterConnection.ConnectAsync(target, error, cancellation);
            progress.WriteLine(connection.Embedded
                ? "cluster: embedded silo in this process (in memory: nothing survives this process, its jobs included)"
                : $"cluster: {connection.Where}");
            if (GapReport.Line(dataSpec, plans[0]) is string gaps) progress.WriteLine(gaps);
            try
            {
                var ids = new List<string>();
                async Task StartAsync(JobSpec spec, string jobName)
                {
                    // sent again, an answer lost, the same start token makes it the same start (another job of that id refuses it)
                    var start = spec with { StartToken = Guid.NewGuid().ToString("N") };
                    var started = await connection.CallAsync(client => client.GetGrain<ITrainingJobGrain>(jobName).Start(start), cancellation);
                    if (started.State == JobState.Rejected || started.Error is { Kind: JobErrorKind.BadInput or JobErrorKind.Conflict })
                        throw new InvalidInputException(started.Error?.Field ?? "spec", started.Error?.Message ?? "rejected");
                    ids.Add(jobName);
                    var t = spec.Training;
                    string how = t.LeastSquares ? "least squares (one fit, no epochs of Adam)"
                        : $"{t.Epochs} epochs{(t.EarlyStoppingPatience is int p ? $" at most (early stopping, patience {p})" : "")}, batch {t.BatchSize}, lr {t.LearningRate}, seed {t.Seed}";
                    progress.WriteLine($"job {jobName}: {spec.ModelName}, {TaskSpecs.Describe(spec.Task)}, {spec.Data.Describe()}, {how}, {spec.ShardCount} shard(s) on {string.Join(", ", started.ShardSilos.Distinct())}");
                }
                Task<JobStatus> FollowAsync(string job) =>
                    JobFollower.FollowAsync(connection, job, job == ids[0] ? progress : TextWriter.Null, cancellation);

                var jobs = new[] { (Spec: main, Name: id), (Spec: baseline, Name: baselineId ?? id) }.Where(j => j.Spec is not null).ToArray();
                if (main is not null && schedule.Describe() is string training) progress.WriteLine($"training: {training}");
                if (main is not null && !detach) progress.WriteLine($"per epoch: {ForecastFigures.DescribeEpochs(task)}");
                var statuses = new List<JobStatus>();
                if (connection.Embedded)
                {
                    // One job after the other: the embedded silo's cores are this machine's, and the baseline's thousands of
                    // short steps beside the model's cost it about a tenth of its epochs' time (on 2 cores); alone, the
                    // baseline takes a fraction of a second. A job that did not complete ends the command (its error).
                    foreach (var (spec, jobName) in jobs)
                    {
                        await StartAsync(spec!, jobName);
                        statuses.Add(await FollowAsync(jobName));
                        if (statuses[^1].State != JobState.Completed) break;
                    }
                }
                else
                {
                    foreach (var (spec, jobName) in jobs) await StartAsync(spec!, jobName);
                    if (detach)
                    {
                        output.WriteLine(string.Join(Environment.NewLine, ids));
                        return Cli.Done;
                    }
                    foreach (var job in ids)
                    {
                        if (job != ids[0]) progress.WriteLine($"waiting for {job}");
                        statuses.Add(await FollowAsync(job));
                    }
                }
                int code = Report(entry, task, statuses, output, error, asJson, dataSpec, plans[0]);
                if (code == Cli.Done && main is not null && (parse.GetValue(save) is not null || parse.GetValue(plot) is not null))
                {
                    var trained = await connection.CallAsync(client => client.GetGrain<ITrainingJobGrain>(ids[0]).GetModel(), cancellation)
                        ?? throw new JobFailedException($"job {ids[0]} completed but has no trained model to save or plot");
                    if (parse.GetValue(save) is string file)
                    {
                        SavedModelFile.Write(file, "--save", entry.Name, ModelSpec.FromJson(main.ModelJson, "--model"), task, dataSpec, trained);
                        progress.WriteLine($"saved {file}");
                    }
                    if (parse.GetValue(plot) is string folder)
                        foreach (var png in Plots.Write(folder, entry.Name, statuses[0], trained)) progress.WriteLine($"plotted {png}");
                }
                return code;
            }
            catch (Exception e) when (ClusterFailures.IsClusterFailure(e, cancellation))
            {
                throw new ClusterUnavailableException($"cannot train job {id} ({connection.Where}): {ClusterFailures.Reason(e)}; check that the cluster's silos are running, then `rnncluster status {id}`");
            }
        });
        return command;
    }

    /// <summary>--fit: true for least-squares, false for adam (or not given); any other value throws.</summary>
    private static bool FitOf(string? value) => value switch
    {
        null or "adam" => false,
        "least-squares" => true,
        _ => throw new InvalidInputException("--fit", $"'{value}' is not a fit; allowed adam, least-squares"),
    };

    /// <summary>What names the linear baseline job beside a job: its id and this.</summary>
    public const string BaselineSuffix = "-linear-baseline";

    /// <summary>
    /// The --job-id, checked (with room for its baseline's suffix), else one made of the model name (its characters
    /// that a job id cannot have as '-') and the time.
    /// </summary>
    private static string JobId(string? given, string modelName, bool withBaseline)
    {
        int room = JobIds.MaxLength - (withBaseline ? BaselineSuffix.Length : 0);
        if (given is not null)
        {
            JobIds.Validate(given, "--job-id");
            if (given.Length > room)
                throw new InvalidInputException("--job-id", $"'{given}' has {given.Length} characters; allowed at most {room}, as its baseline job is named '{given}{BaselineSuffix}'");
            return given;
        }
        string stamp = $"-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Random.Shared.Next(0x10000):x4}";
        string name = new string(modelName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray()).TrimStart('.', '-');
        if (name.Length == 0) name = "job";
        return name[..Math.Min(name.Length, room - stamp.Length)] + stamp;
    }

    /// <summary>
    /// A model file as a catalogue entry: its task follows from its output, one step of N values (N steps ahead) or
    /// every input step with N values each (sequence to sequence).
    /// </summary>
    private static CatalogueEntry FromFile(string path, DataSpec data)
    {
        if (!File.Exists(path)) throw new InvalidInputException("--model-file", $"file '{path}' does not exist");
        var spec = ModelSpec.FromJson(File.ReadAllText(path), "--model-file");
        int steps = data.IsChapter ? ChapterSeries.InputSteps : data.Window, features = data.Columns?.Length ?? 1;
        spec.ParameterCount(steps, features, "--model-file");
        var (outSteps, outFeatures) = spec.OutputShape(steps, features);
        if (outSteps != 1 && outSteps != steps)
            throw new InvalidInputException("--model-file", $"the model outputs {outSteps} steps; allowed 1 (a vector) or all {steps} (sequence to sequence)");
        var task = new ForecastTask(outSteps == 1 ? ForecastKind.Vector : ForecastKind.Sequence, outFeatures);
        return new CatalogueEntry(Path.GetFileNameWithoutExtension(path), $"from {Path.GetFileName(path)}", null, task, _ => spec, AnyHorizon: false);
    }

    /// <summary>The numbers of validation and test windows every row of the table is measured on (a series' windows without gaps).</summary>
    private static (int Valid, int Test) EvaluationWindows(DataSpec data, JobPlan plan)
    {
        if (data.IsChapter) return (ChapterSeries.ValidCount, ChapterSeries.SeriesCount - ChapterSeries.TrainCount - ChapterSeries.ValidCount);
        return (plan.Evaluation.Valid.Count, plan.Evaluation.Test.Count);
    }

    private static int Report(CatalogueEntry entry, ForecastTask task, List<JobStatus> statuses, TextWriter output, TextWriter error, bool asJson, DataSpec data,
        JobPlan plan)
    {
        bool chapterData = data.IsChapter;
        var (validWindows, testWindows) = EvaluationWindows(data, plan);
        string figure = $"{ForecastFigures.Describe(task, entry.Name)}; every row on the same {validWindows} validation and {testWindows} test windows";
        if (statuses.FirstOrDefault(s => s.State != JobState.Completed) is { } stopped)
        {
            error.WriteLine($"error: job {stopped.JobId} {StatusText.StateName(stopped.State)}{(stopped.Error is { } e ? $": {OptionNames.Of(e.Field)}: {e.Message}" : "")}");
            return Cli.JobFailed;
        }
        var first = statuses[0];
        var rows = new List<(string Name, double? Valid, double? Test, string? Hash)>();
        if (entry.Spec is not null) rows.Add((first.Fit is string how ? $"{entry.Name} ({how})" : entry.Name, first.ValidMse, first.TestMse, first.WeightsHash));
        rows.Add((entry.Spec is null ? "naive" : "naive (baseline)", first.NaiveValidMse, first.NaiveTestMse, null));
        var linear = statuses.FirstOrDefault(s => s.Model == "linear" && (entry.Name != "linear"));
        if (linear is not null)
            rows.Add((entry.Spec is null ? BaselineNames.LinearShort(linear.Fit) : BaselineNames.Linear(linear.Fit), linear.ValidMse, linear.TestMse, linear.WeightsHash));
        foreach (var c in statuses.SelectMany(s => s.Classical ?? [])) rows.Add((c.Name, c.ValidMse, c.TestMse, null));

        if (asJson)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                model = entry.Name,
                job = first.JobId,
                figure,
                valid_windows = validWindows,
                test_windows = testWindows,
                skipped_windows = chapterData ? null : GapReport.Skipped(plan) is var skipped ? new { train = skipped.Train, valid = skipped.Valid, test = skipped.Test } : null,
                shard_silos = first.ShardSilos,
                results = rows.Select(r => new { name = r.Name, valid_mse = r.Valid, test_mse = r.Test, weights_hash = r.Hash }),
                history = entry.Spec is null ? [] : first.History.Select(h => new { epoch = h.Epoch, train_loss = h.TrainLoss, valid_mse = h.ValidMse, seconds = h.Seconds }).ToArray(),
            }, JsonStyle.SnakeCase));
            return Cli.Done;
        }
        int width = Math.Max(20, rows.Max(r => r.Name.Length));
        output.WriteLine();
        output.WriteLine($"({figure})");
        output.WriteLine($"{"model".PadRight(width)}  {"valid MSE",10}  {"test MSE",10}  weights hash");
        foreach (var r in rows)
            output.WriteLine($"{r.Name.PadRight(width)}  {r.Valid,10:0.000000}  {r.Test,10:0.000000}  {r.Hash ?? "-"}");
        if (chapterData && entry.ChapterValidMse is double chapterFigure && task.Horizon == entry.Task.Horizon)
            output.WriteLine($"(the chapter's valid MSE for {entry.Name}: {chapterFigure:0.000})");
        return Cli.Done;
    }
}
