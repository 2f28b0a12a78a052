using RnnCluster.Numerics.Classical;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Models;
using RnnCluster.Numerics.Optim;
using RnnCluster.Numerics.Training;

namespace RnnCluster.Grains;

/// <summary>
/// A job spec checked and turned into what Numerics trains with. <see cref="From"/> is the door every job passes,
/// in the client and again in the coordinator: any field out of range throws <see cref="InvalidInputException"/>
/// naming it, with bounds that keep one request from exhausting a silo. The data comes from <see cref="DataSplitCache"/>:
/// built once per process, not once per call. Classical: the classical baselines the job computes once trained
/// (<see cref="ClassicalPlan"/>).
/// </summary>
public sealed record JobPlan(ModelSpec Model, TrainingOptions Options, ForecastTask Task, DataSplit Data, DataSplit Evaluation, int ShardCount, int ParameterCount,
    ClassicalOptions? Classical = null)
{
    public const int MaxShards = 64;
    public const int MaxParameters = 2_000_000;
    public const int MaxModelNameLength = 64;

    /// <summary>Floats of the windows a CSV series is cut into (rows x window x columns): 80 MB per copy.</summary>
    public const long MaxWindowedValues = 20_000_000;

    /// <summary>Floats of one shard's gradient slots (its micro-shards x parameters): 256 MB.</summary>
    public const long MaxGradientValues = 64_000_000;

    /// <summary>
    /// Bytes of the networks a job builds (<see cref="ModelSpec.BufferBytes"/>: the layers' caches and activations of a
    /// block of windows), one a shard and one for its evaluation, wherever they run: 1 GiB, so that one request fits in
    /// a silo of 2 GiB (the Kubernetes manifests' limit) even with all its shards there.
    /// </summary>
    public const long MaxNetworkBytes = 1L << 30;

    public static JobPlan From(JobSpec spec)
    {
        if (spec is null) throw new InvalidInputException("spec", "missing");
        if (string.IsNullOrWhiteSpace(spec.ModelName) || spec.ModelName.Length > MaxModelNameLength)
            throw new InvalidInputException("model", $"name '{spec.ModelName}' must have 1..{MaxModelNameLength} characters");
        var model = ModelSpec.FromJson(spec.ModelJson ?? "", "model");
        var t = spec.Training ?? throw new InvalidInputException("training", "missing");
        var options = OptionsOf(t);
        options.Validate();
        if (options.LeastSquares) LeastSquaresFit.CheckLinear(model);
        if (spec.ShardCount > MaxShards) throw new InvalidInputException("shards", $"{spec.ShardCount} is out of range; allowed at most {MaxShards}");
        BatchShard.CheckShardCount(spec.ShardCount, options.BatchSize);
        var task = TaskSpecs.ToTask(spec.Task);
        task.Validate();
        var dataSpec = spec.Data ?? throw new InvalidInputException("data", "missing");
        var source = new CachedSource(Source(dataSpec), DataSplitCache.DataKey(dataSpec));
        // a sequence model's targets hold window x horizon values per window
        if (!dataSpec.IsChapter && task.Kind == ForecastKind.Sequence && (long)dataSpec.Columns![0].Length * dataSpec.Window * task.Horizon is var targets and > MaxWindowedValues)
            throw new InvalidInputException("window",
                $"{dataSpec.Columns[0].Length} rows x window {dataSpec.Window} x horizon {task.Horizon} make {targets} sequence target values; allowed at most {MaxWindowedValues}: use a shorter window or horizon, or fewer rows");
        var data = task.TrainingData(source);
        var evaluation = task.Kind == ForecastKind.Vector && !task.Iterative ? data : task.EvaluationData(source);
        long parameterCount = model.ParameterCount(data.Train.Steps, data.Train.Features);
        if (parameterCount > MaxParameters)
            throw new InvalidInputException("model", $"{parameterCount} parameters; allowed at most {MaxParameters}");
        long gradientValues = BatchShard.GradientValues(options.BatchSize, spec.ShardCount, parameterCount);
        if (gradientValues > MaxGradientValues)
            throw new InvalidInputException("batch_size",
                $"{options.BatchSize} samples of a {parameterCount}-parameter model on {spec.ShardCount} shard(s) keep {gradientValues} gradient values per shard; allowed at most {MaxGradientValues}: use a smaller batch, more shards or a smaller model");
        long networkBytes = spec.ShardCount * BatchShard.NetworkBytes(model, data.Train, options.BatchSize, spec.ShardCount)
            + EvaluationNetworkBytes(model, data.Train, options.BatchSize, task.Iterative);
        if (networkBytes > MaxNetworkBytes)
            throw new InvalidInputException("model",
                $"its networks for windows of {data.Train.Steps} steps ({spec.ShardCount} shard(s) and the evaluation) keep {MemoryBudget.Megabytes(networkBytes)} MB of "
                + $"activations and their gradients; allowed at most {MemoryBudget.Megabytes(MaxNetworkBytes)} MB: use a shorter window or a smaller model (fewer or narrower layers, a smaller dilation)");
        var (outSteps, outFeatures) = model.OutputShape(data.Train.Steps, data.Train.Features);
        if (outSteps * outFeatures != data.Train.TargetSize)
            throw new InvalidInputException("model", $"the model outputs {outSteps * outFeatures} values per sample but the targets have {data.Train.TargetSize}");
        var classical = ClassicalPlan.From(spec.Classical, dataSpec, evaluation);
        return new JobPlan(model, options, task, data, evaluation, spec.ShardCount, (int)parameterCount, classical);
    }

    /// <summary>The bytes a shard of this job holds: its network and its gradient slots (its micro-shards' sums).</summary>
    public long ShardBytes => BatchShard.NetworkBytes(Model, Data.Train, Options.BatchSize, ShardCount)
        + BatchShard.GradientValues(Options.BatchSize, ShardCount, ParameterCount) * sizeof(float);

    /// <summary>The bytes of the network the coordinator evaluates the job with.</summary>
    public long EvaluationBytes => EvaluationNetworkBytes(Model, Data.Train, Options.BatchSize, Task.Iterative);

    // the evaluator's network, or an iterative forecast's when larger (its blocks are of 64 windows)
    private static long EvaluationNetworkBytes(ModelSpec model, Dataset train, int batchSize, bool iterative) =>
        Math.Max(Evaluator.NetworkBytes(model, train, batchSize), iterative ? IterativeForecast.NetworkBytes(model, train.Steps) : 0);

    /// <summary>The training options a job's settings ask for (not yet validated).</summary>
    public static TrainingOptions OptionsOf(TrainingSettings t) => new(t.Epochs, t.BatchSize, t.LearningRate, t.Seed, t.EarlyStoppingPatience,
        new GradientClipping(t.ClipNorm, t.GlobalClipNorm, t.ClipValue), t.LeastSquares);

    private static ISeriesSource Source(DataSpec data)
    {
        if (data.IsChapter)
        {
            if (data.DataSeed < 0) throw new InvalidInputException("data_seed", $"{data.DataSeed} is negative; allowed 0..{int.MaxValue}");
            if (data.Differences is { Length: > 0 }) throw new InvalidInputException("difference", "applies to a --data series; the chapter's series have no trend or season to remove");
            return new ChapterSource(data.DataSeed);
        }
        var columns = data.Columns!;
        if (columns.Length == 0 || columns.Any(c => c is null || c.Length != columns[0].Length))
            throw new InvalidInputException("data", "the shipped columns are empty or differ in length");
        long values = columns.Sum(c => (long)c.Length);
        if (values > DataSpec.MaxValues)
            throw new InvalidInputException("data", $"{values} values; allowed at most {DataSpec.MaxValues}");
        // NaN is a gap (an empty cell), which the windows skip; an infinity is never a value
        if (columns.Any(c => c.Any(double.IsInfinity)))
            throw new InvalidInputException("data", "the shipped columns hold an infinite value; allowed finite numbers and gaps (NaN)");
        if (data.Window < 1 || data.Window > SeriesWindows.MaxWindow)
            throw new InvalidInputException("window", $"{data.Window} is out of range; allowed 1..{SeriesWindows.MaxWindow}");
        long windowed = (long)columns[0].Length * data.Window * columns.Length;
        if (windowed > MaxWindowedValues)
            throw new InvalidInputException("window",
                $"{columns[0].Length} rows x window {data.Window} x {columns.Length} column(s) make {windowed} window values; allowed at most {MaxWindowedValues}: use a shorter window or fewer rows");
        if (data.Differences is { Length: > 8 }) throw new InvalidInputException("difference", $"{data.Differences.Length} periods; allowed at most 8");
        return new CsvSource(columns, data.Window, data.SourceName ?? "data", data.Differences);
    }
}
