using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Numerics.Tests.Sweeps;

public class SweepPlanTests
{
    private const string RandomSpec = """
        {"model": "lstm", "search": "random", "trials": 50, "seeds_per_config": 2, "seed": 7,
         "space": {"learning_rate": {"log_uniform": [1e-4, 1e-2]}, "units": {"int_uniform": [8, 64]},
                   "cell": {"values": ["lstm", "gru"]}, "dropout": {"uniform": [0, 0.5]}, "batch_size": 32}}
        """;

    [Fact]
    public void A_grid_enumerates_every_point_first_key_slowest_with_replicas_adjacent()
    {
        var spec = SweepSpec.FromJson("""
            {"space": {"units": {"values": [8, 16, 32]}, "model": {"values": ["lstm", "gru"]}, "learning_rate": 0.01},
             "seeds_per_config": 2}
            """);
        var trials = SweepPlan.Trials(spec);
        Assert.Equal(12, trials.Count);
        Assert.Equal(Enumerable.Range(0, 12), trials.Select(t => t.Index));
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5], trials.Select(t => t.ConfigIndex));
        Assert.Equal([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1], trials.Select(t => t.Replica));
        // keys in SpaceKey.All's order (model before units), values in the order given
        Assert.Equal(
            ["model=lstm lr=0.01 units=8", "model=lstm lr=0.01 units=16", "model=lstm lr=0.01 units=32",
             "model=gru lr=0.01 units=8", "model=gru lr=0.01 units=16", "model=gru lr=0.01 units=32"],
            trials.Where(t => t.Replica == 0).Select(t => t.Config.Describe()));
        Assert.All(trials.Chunk(2), pair => Assert.Equal(pair[0].Config, pair[1].Config));
        Assert.Equal(12, trials.Select(t => t.Seed).Distinct().Count());
    }

    [Fact]
    public void A_grid_over_an_empty_space_is_one_configuration()
    {
        var trials = SweepPlan.Trials(SweepSpec.FromJson("""{"model": "deep-rnn", "seeds_per_config": 3}"""));
        Assert.Equal(3, trials.Count);
        Assert.All(trials, t => Assert.Equal(new TrialConfig(), t.Config));
        Assert.All(trials, t => Assert.Equal("defaults", t.Config.Describe()));
    }

    [Fact]
    public void The_same_spec_gives_the_same_trials()
    {
        var first = SweepPlan.Trials(SweepSpec.FromJson(RandomSpec));
        var second = SweepPlan.Trials(SweepSpec.FromJson(RandomSpec));
        Assert.Equal(100, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(first, SweepPlan.Trials(SweepSpec.FromJson(SweepSpec.FromJson(RandomSpec).ToJson())));
    }

    [Fact]
    public void Another_sweep_seed_draws_other_configurations_and_seeds()
    {
        var seven = SweepPlan.Trials(SweepSpec.FromJson(RandomSpec));
        var eight = SweepPlan.Trials(SweepSpec.FromJson(RandomSpec.Replace("\"seed\": 7", "\"seed\": 8")));
        Assert.Equal(seven.Count, eight.Count);
        Assert.True(seven.Zip(eight).Count(p => p.First.Config.LearningRate != p.Second.Config.LearningRate) > 45);
        Assert.True(seven.Zip(eight).Count(p => p.First.Config.Units != p.Second.Config.Units) > 30);
        Assert.True(seven.Zip(eight).Count(p => p.First.Seed != p.Second.Seed) > 95);
    }

    [Fact]
    public void Configuration_k_does_not_depend_on_the_number_of_trials()
    {
        var fifty = SweepPlan.Trials(SweepSpec.FromJson(RandomSpec));
        var five = SweepPlan.Trials(SweepSpec.FromJson(RandomSpec.Replace("\"trials\": 50", "\"trials\": 5")));
        Assert.Equal(10, five.Count);
        Assert.Equal(fifty.Take(10), five);
    }

    [Fact]
    public void Replicas_share_their_configuration_and_get_their_own_seeds()
    {
        var trials = SweepPlan.Trials(SweepSpec.FromJson(RandomSpec));
        Assert.All(trials.Chunk(2), pair =>
        {
            Assert.Equal(pair[0].Config, pair[1].Config);
            Assert.NotEqual(pair[0].Seed, pair[1].Seed);
        });
        Assert.True(trials.Where(t => t.Replica == 0).Select(t => t.Config).Distinct().Count() > 45);
    }

    [Fact]
    public void Sampled_values_stay_in_their_domains_and_spread_over_them()
    {
        var spec = SweepSpec.FromJson(RandomSpec.Replace("\"trials\": 50, \"seeds_per_config\": 2", "\"trials\": 1000"));
        var configs = SweepPlan.Trials(spec).Select(t => t.Config).ToList();
        Assert.Equal(1000, configs.Count);
        Assert.All(configs, c =>
        {
            Assert.InRange(c.LearningRate!.Value, 1e-4f, 1e-2f);
            Assert.InRange(c.Units!.Value, 8, 64);
            Assert.InRange(c.Dropout!.Value, 0f, 0.5f);
            Assert.Contains(c.Cell, new[] { "lstm", "gru" });
            Assert.Equal(32, c.BatchSize);
            Assert.Null(c.Epochs);
        });
        Assert.Equal(57, configs.Select(c => c.Units).Distinct().Count());
        // log-uniform: about half below the geometric mean 1e-3, about a quarter below 10^-3.5
        Assert.InRange(configs.Count(c => c.LearningRate < 1e-3f), 440, 560);
        Assert.InRange(configs.Count(c => c.LearningRate < MathF.Pow(10, -3.5f)), 200, 300);
        Assert.InRange(configs.Count(c => c.Cell == "gru"), 440, 560);
        Assert.InRange(configs.Count(c => c.Dropout < 0.25f), 440, 560);
    }

    [Fact]
    public void Seeds_and_draws_match_an_independent_splitmix64()
    {
        // computed with a few lines of Python's integer arithmetic, so the plan is the same on any machine and runtime
        Assert.Equal([3183990240u, 710307755u, 628673484u, 2158457889u], Enumerable.Range(0, 4).Select(i => SweepPlan.TrialSeed(42, i)));
        var spec = SweepSpec.FromJson(RandomSpec);
        Assert.Equal([51, 15, 15, 43, 26], Enumerable.Range(0, 5).Select(k => SweepPlan.Sample(spec, k).Units!.Value));
    }
}
