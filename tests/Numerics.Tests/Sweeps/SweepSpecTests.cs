using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Numerics.Tests.Sweeps;

public class SweepSpecTests
{
    private const string FullSpec = """
        {
          // the brief's example, comments and all
          "name": "lr-sweep",
          "model": "deep-rnn",
          "data": {"data_seed": 7},
          "metric": "train_loss",
          "search": "random",
          "trials": 20,
          "seeds_per_config": 2,
          "max_concurrent": 4,
          "seed": 4000000000,
          "space": {"learning_rate": {"log_uniform": [1e-4, 1e-2]}, "batch_size": {"values": [16, 32]}, "units": 20}
        }
        """;

    private const string UnionOfGrids = """
        {"search": "grid", "seeds_per_config": 2, "space": [
          {"model": {"values": ["linear", "deep-rnn"]}},
          {"model": "linear", "horizon": 10},
          {"model": "gru", "units": {"values": [8, 16]}, "learning_rate": 0.01}
        ]}
        """;

    public static TheoryData<string> ValidSpecs => new()
    {
        FullSpec,
        UnionOfGrids,
        """{"model": "deep-rnn"}""",
        """{"model": "lstm", "max_concurrent": null, "name": null, "space": {"cell": {"values": ["gru", "lstm", "simple_rnn"]}, "layers": {"values": [1, 2, 3]}, "dropout": 0.25}}""",
        """{"space": {"model": {"values": ["lstm", "gru", "conv-gru"]}, "units": {"values": [8, 16]}, "clipnorm": 1}}""",
        """{"model": "gru", "search": "asha", "trials": 30, "asha": {"min_epochs": 2, "reduction_factor": 4}, "space": {"epochs": {"int_uniform": [10, 40]}, "dropout": {"uniform": [0, 0.5]}, "recurrent_dropout": {"values": [0, 0.1]}}}""",
        """{"model": "gru", "search": "asha", "trials": 3, "space": {"epochs": 20}}""",
        """{"model": "seq2vec-rnn", "data": {"csv": "examples/data/seattle-weather.csv", "column": "temp_max,temp_min", "window": 30}, "space": {"horizon": {"values": [1, 7]}, "difference": {"values": [1, 7]}}}""",
        """{"model": "deep-rnn-dense", "data": {"csv": "données.csv", "column": "t"}, "space": {"window": {"int_uniform": [10, 60]}, "learning_rate": {"values": [0.1, 0.001, 0.000123456789]}}, "search": "random", "trials": 4}""",
        """{"model": "linear", "data": {"csv": "co2.csv", "column": "CO2", "season": 12, "wma": 6, "arima": "2,1,1"}}""",
    };

    [Fact]
    public void A_list_of_spaces_is_a_union_of_grids_enumerated_space_after_space()
    {
        var spec = SweepSpec.FromJson(UnionOfGrids);
        Assert.Equal(3, spec.Spaces.Count);
        var trials = SweepPlan.Trials(spec);
        Assert.Equal((2 + 1 + 2) * 2, trials.Count);
        Assert.Equal(["linear", "linear", "deep-rnn", "deep-rnn", "linear", "linear", "gru", "gru", "gru", "gru"], trials.Select(t => spec.ModelFor(t.Config)));
        Assert.Equal([null, null, null, null, 10, 10, null, null, null, null], trials.Select(t => t.Config.Horizon));
        Assert.Equal([null, null, null, null, null, null, 8, 8, 16, 16], trials.Select(t => t.Config.Units));
        Assert.All(trials.Take(6), t => Assert.Null(t.Config.LearningRate));
        Assert.All(trials.Skip(6), t => Assert.Equal(0.01f, t.Config.LearningRate));
        // seeds follow the trial index across the spaces: no two trials share one
        Assert.Equal(trials.Count, trials.Select(t => t.Seed).Distinct().Count());
    }

    [Fact]
    public void A_minimal_spec_takes_the_defaults()
    {
        var spec = SweepSpec.FromJson("""{"model": "deep-rnn"}""");
        Assert.Null(spec.Name);
        Assert.Equal("deep-rnn", spec.Model);
        Assert.Equal(42, spec.DataSeed);
        Assert.Null(spec.Csv);
        Assert.Null(spec.Column);
        Assert.Null(spec.Window);
        Assert.Equal(SweepSpec.ValidMse, spec.Metric);
        Assert.Equal(SearchKind.Grid, spec.Search);
        Assert.Null(spec.Trials);
        Assert.Equal(1, spec.SeedsPerConfig);
        Assert.Null(spec.MaxConcurrent);
        Assert.Equal(42u, spec.Seed);
        Assert.Null(spec.AshaMinEpochs);
        Assert.Null(spec.AshaReductionFactor);
        Assert.Empty(spec.Space);
        Assert.Null(spec.AshaFor(20));
    }

    [Fact]
    public void The_example_spec_is_read_field_by_field()
    {
        var spec = SweepSpec.FromJson(FullSpec);
        Assert.Equal("lr-sweep", spec.Name);
        Assert.Equal("deep-rnn", spec.Model);
        Assert.Equal(7, spec.DataSeed);
        Assert.Equal(SweepSpec.TrainLoss, spec.Metric);
        Assert.Equal(SearchKind.Random, spec.Search);
        Assert.Equal(20, spec.Trials);
        Assert.Equal(2, spec.SeedsPerConfig);
        Assert.Equal(4, spec.MaxConcurrent);
        Assert.Equal(4_000_000_000u, spec.Seed);
        Assert.Equal(new LogUniformDomain(1e-4, 1e-2), spec.Space["learning_rate"]);
        Assert.Equal(new ValuesDomain([SpaceValue.Of(16), SpaceValue.Of(32)]), spec.Space["batch_size"]);
        Assert.Equal(new FixedDomain(SpaceValue.Of(20)), spec.Space["units"]);
        Assert.Equal(3, spec.Space.Count);
    }

    [Fact]
    public void Asha_defaults_apply_with_search_asha_and_give_the_trials_rungs()
    {
        var spec = SweepSpec.FromJson("""{"model": "gru", "search": "asha", "trials": 3, "space": {"epochs": 27}}""");
        Assert.Equal(1, spec.AshaMinEpochs);
        Assert.Equal(3, spec.AshaReductionFactor);
        Assert.Equal([1, 3, 9], spec.AshaFor(27)!.Rungs);
    }

    [Fact]
    public void Csv_data_is_kept_as_given_for_the_client_to_read()
    {
        var spec = SweepSpec.FromJson("""{"model": "seq2vec-rnn", "data": {"csv": "path.csv", "column": "temp_max", "window": 30}}""");
        Assert.Equal("path.csv", spec.Csv);
        Assert.Equal("temp_max", spec.Column);
        Assert.Equal(30, spec.Window);
    }

    [Fact]
    public void The_classical_baselines_settings_are_kept_with_csv_data()
    {
        var spec = SweepSpec.FromJson("""{"model": "linear", "data": {"csv": "co2.csv", "column": "CO2", "season": 12, "wma": 6, "arima": "2, 1, 1"}}""");
        Assert.Equal((12, 6, "2, 1, 1"), (spec.Season, spec.MovingAverageLength, spec.Arima));
        Assert.NotEqual(spec, SweepSpec.FromJson("""{"model": "linear", "data": {"csv": "co2.csv", "column": "CO2", "season": 12, "wma": 6}}"""));
    }

    [Theory]
    [MemberData(nameof(ValidSpecs))]
    public void ToJson_round_trips(string json)
    {
        var spec = SweepSpec.FromJson(json);
        string written = spec.ToJson();
        var back = SweepSpec.FromJson(written);
        Assert.Equal(spec, back);
        Assert.Equal(written, back.ToJson());
        Assert.Equal(SweepPlan.Trials(spec), SweepPlan.Trials(back));
    }

    [Fact]
    public void ToJson_writes_every_setting_in_a_fixed_order()
    {
        var spec = SweepSpec.FromJson("""{"space": {"units": {"values": [8, 16]}, "model": "lstm", "learning_rate": {"log_uniform": [0.0001, 0.01]}}, "search": "random", "trials": 2}""");
        Assert.Equal(
            """{"data":{"data_seed":42},"metric":"valid_mse","search":"random","trials":2,"seeds_per_config":1,"seed":42,"space":{"model":"lstm","learning_rate":{"log_uniform":[0.0001,0.01]},"units":{"values":[8,16]}}}""",
            spec.ToJson());
    }

    [Fact]
    public void Specs_differing_in_one_setting_or_in_value_order_are_not_equal()
    {
        const string json = """{"model": "lstm", "space": {"units": {"values": [8, 16]}}}""";
        var spec = SweepSpec.FromJson(json);
        Assert.Equal(spec, SweepSpec.FromJson(json));
        Assert.NotEqual(spec, SweepSpec.FromJson("""{"model": "lstm", "space": {"units": {"values": [16, 8]}}}"""));
        Assert.NotEqual(spec, SweepSpec.FromJson("""{"model": "lstm", "seed": 1, "space": {"units": {"values": [8, 16]}}}"""));
        Assert.NotEqual(spec, SweepSpec.FromJson("""{"model": "lstm", "space": {"units": {"values": [8, 16]}, "layers": 2}}"""));
        Assert.NotEqual(spec, SweepSpec.FromJson("""{"model": "gru", "space": {"units": {"values": [8, 16]}}}"""));
    }

    [Fact]
    public void The_model_comes_from_the_configuration_when_the_space_searches_it()
    {
        var searched = SweepSpec.FromJson("""{"space": {"model": {"values": ["lstm", "gru"]}}}""");
        var trials = SweepPlan.Trials(searched);
        Assert.Equal(["lstm", "gru"], trials.Select(t => searched.ModelFor(t.Config)));
        var fixedModel = SweepSpec.FromJson("""{"model": "gru"}""");
        Assert.Equal("gru", fixedModel.ModelFor(SweepPlan.Trials(fixedModel)[0].Config));
    }
}
