using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// A hyperparameter sweep as the user describes it in JSON: the model (or models) to train, the data, the metric to
/// rank trials by, how configurations are searched (<see cref="SearchKind"/>), how many, and the search space, a
/// <see cref="Domain"/> for each key of <see cref="SpaceKey.All"/>. <see cref="FromJson"/> is the only way to make
/// one and checks everything, so a spec that exists can be planned (<see cref="SweepPlan"/>) and every trial's model
/// built (<see cref="TrialModel"/>); a copy changed with <c>with</c> is not checked again. <see cref="ToJson"/> writes
/// it back (to store it): FromJson(ToJson()) equals it.
/// </summary>
public sealed record SweepSpec
{
    /// <summary>The most trials a sweep may train: configurations times seeds per configuration.</summary>
    public const int MaxTrials = 1000;
    public const int MaxSeedsPerConfig = 10;
    public const int MaxConcurrentLimit = 64;
    public const int MaxValues = 1000;
    public const int MaxSpaces = 100;
    public const int MaxNameLength = 64;

    /// <summary>The longest season data.season takes (the cluster checks it against the training part's values).</summary>
    public const int MaxSeason = 1_000_000;
    public const int MaxAshaMinEpochs = 1000;
    public const int MinAshaReductionFactor = 2;
    public const int MaxAshaReductionFactor = 10;
    public const uint DefaultSeed = 42;
    public const int DefaultAshaMinEpochs = 1;
    public const int DefaultAshaReductionFactor = 3;

    /// <summary>The metrics trials are ranked by: the validation MSE or the last epoch's training loss.</summary>
    public const string ValidMse = "valid_mse";
    public const string TrainLoss = "train_loss";

    public static IReadOnlyList<string> Metrics { get; } = [ValidMse, TrainLoss];

    /// <summary>The field named by errors about the document as a whole (not JSON, not an object).</summary>
    public const string DocumentField = "sweep spec";

    internal SweepSpec()
    {
    }

    /// <summary>The user's name for the sweep (1..64 of A-Z a-z 0-9 . _ -), or null.</summary>
    public string? Name { get; init; }

    /// <summary>The catalogue model every trial trains; null when the space sets "model" instead.</summary>
    public string? Model { get; init; }

    /// <summary>The seed of the chapter's generated series (not used with <see cref="Csv"/>).</summary>
    public int DataSeed { get; init; } = ChapterSeries.DefaultSeed;

    /// <summary>A CSV file the client reads (the cluster never opens a path), with <see cref="Column"/>; null: the chapter's series.</summary>
    public string? Csv { get; init; }

    /// <summary>The column(s) of <see cref="Csv"/>, as the train command's --column takes them.</summary>
    public string? Column { get; init; }

    /// <summary>Input steps per window of <see cref="Csv"/>; null: the client's default (unless the space sets window).</summary>
    public int? Window { get; init; }

    /// <summary>With <see cref="Csv"/>: the seasonal naive baseline's season in steps (as train's --season); null: none.</summary>
    public int? Season { get; init; }

    /// <summary>With <see cref="Csv"/>: the weighted moving average's length (as train's --wma); null: its default.</summary>
    public int? MovingAverageLength { get; init; }

    /// <summary>With <see cref="Csv"/>: the ARIMA order "p,d,q" (as train's --arima); null: chosen by AIC.</summary>
    public string? Arima { get; init; }

    /// <summary><see cref="ValidMse"/> or <see cref="TrainLoss"/>; lower is better.</summary>
    public string Metric { get; init; } = ValidMse;

    public SearchKind Search { get; init; } = SearchKind.Grid;

    /// <summary>Random and ASHA: the configurations to sample. Grid: an optional cap on its points.</summary>
    public int? Trials { get; init; }

    /// <summary>How many seeds each configuration is trained with (1..10).</summary>
    public int SeedsPerConfig { get; init; } = 1;

    /// <summary>At most this many trials at once (1..64); null: the cluster chooses.</summary>
    public int? MaxConcurrent { get; init; }

    /// <summary>The sweep seed: the configurations drawn and every trial's training seed follow from it.</summary>
    public uint Seed { get; init; } = DefaultSeed;

    /// <summary>ASHA's first rung in epochs; null unless <see cref="Search"/> is <see cref="SearchKind.Asha"/>.</summary>
    public int? AshaMinEpochs { get; init; }

    /// <summary>ASHA's reduction factor eta (rungs are min_epochs * eta^k); null unless searching with ASHA.</summary>
    public int? AshaReductionFactor { get; init; }

    /// <summary>
    /// The search spaces, each a domain for each key given, by its JSON name: one, or with search grid any number (a
    /// union of grids, as scikit-learn's ParameterGrid takes a list of dicts), enumerated one after another.
    /// </summary>
    public IReadOnlyList<IReadOnlyDictionary<string, Domain>> Spaces { get; init; } = [new Dictionary<string, Domain>()];

    /// <summary>The first space: the only one unless a grid sweep gives a list.</summary>
    public IReadOnlyDictionary<string, Domain> Space => Spaces[0];

    /// <summary>How errors name space <paramref name="index"/> of <paramref name="count"/>: "space", or "space[2]" in a list.</summary>
    public static string SpacePath(int index, int count) => count == 1 ? "space" : $"space[{index}]";

    /// <summary>Reads and checks a spec; any problem throws <see cref="InvalidInputException"/> naming its JSON path.</summary>
    public static SweepSpec FromJson(string json) => SweepSpecReader.Read(json);

    /// <summary>The spec as JSON with every setting written out, keys in a fixed order.</summary>
    public string ToJson() => SweepSpecWriter.Write(this);

    /// <summary>The JSON name of a search kind: "grid", "random", "asha".</summary>
    public static string SearchName(SearchKind kind) => kind.ToString().ToLowerInvariant();

    /// <summary>The catalogue model a trial trains: the one its configuration names, else the sweep's.</summary>
    public string ModelFor(TrialConfig config) =>
        config.Model ?? Model ?? throw new InvalidOperationException("the sweep names no model and the configuration sets none");

    /// <summary>ASHA for a trial that trains <paramref name="maxEpochs"/> epochs; null unless searching with ASHA.</summary>
    public Asha? AshaFor(int maxEpochs) =>
        Search == SearchKind.Asha ? new Asha(AshaMinEpochs ?? DefaultAshaMinEpochs, AshaReductionFactor ?? DefaultAshaReductionFactor, maxEpochs) : null;

    public bool Equals(SweepSpec? other) =>
        other is not null
        && Name == other.Name && Model == other.Model && DataSeed == other.DataSeed && Csv == other.Csv
        && Column == other.Column && Window == other.Window && Season == other.Season
        && MovingAverageLength == other.MovingAverageLength && Arima == other.Arima && Metric == other.Metric && Search == other.Search
        && Trials == other.Trials && SeedsPerConfig == other.SeedsPerConfig && MaxConcurrent == other.MaxConcurrent
        && Seed == other.Seed && AshaMinEpochs == other.AshaMinEpochs && AshaReductionFactor == other.AshaReductionFactor
        && Spaces.Count == other.Spaces.Count
        && Spaces.Zip(other.Spaces).All(pair => pair.First.Count == pair.Second.Count
            && pair.First.All(p => pair.Second.TryGetValue(p.Key, out var domain) && p.Value.Equals(domain)));

    public override int GetHashCode() =>
        HashCode.Combine(Name, Model, Search, Trials, Seed, Spaces.Count);
}
