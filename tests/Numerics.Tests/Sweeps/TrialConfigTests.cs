using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Numerics.Tests.Sweeps;

public class TrialConfigTests
{
    [Fact]
    public void Describe_lists_the_set_keys_in_a_fixed_order_with_four_digit_reals()
    {
        var config = new TrialConfig { Units = 32, LearningRate = 0.0012346f, Model = "lstm" };
        Assert.Equal("model=lstm lr=0.001235 units=32", config.Describe());
        Assert.Equal("model=lstm lr=0.00123 units=32", (config with { LearningRate = 0.00123f }).Describe());
        Assert.Equal("cell=gru batch_size=16 epochs=30 layers=2 dropout=0.25 recurrent_dropout=0.1 clipnorm=1 window=30 horizon=7 difference=12",
            new TrialConfig
            {
                Difference = 12, Horizon = 7, Window = 30, ClipNorm = 1, RecurrentDropout = 0.1f, Dropout = 0.25f, Layers = 2, Epochs = 30,
                BatchSize = 16, Cell = "gru",
            }.Describe());
    }

    [Fact]
    public void Nothing_set_describes_as_defaults()
    {
        Assert.Equal("defaults", new TrialConfig().Describe());
        Assert.Empty(new TrialConfig().Values);
    }

    [Fact]
    public void Values_give_invariant_text_by_json_name_in_full_precision()
    {
        var config = new TrialConfig { Units = 32, LearningRate = 0.0012345f, Model = "lstm", Dropout = 0.1f };
        Assert.Equal(
            [new("model", "lstm"), new("learning_rate", "0.0012345"), new("units", "32"), new("dropout", "0.1")],
            config.Values.ToList());
        Assert.Equal(0.0012345f, float.Parse(config.Values["learning_rate"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void With_sets_each_key_and_ValueOf_reads_it_back()
    {
        var config = new TrialConfig();
        foreach (var key in SpaceKey.All)
        {
            (SpaceValue value, object expected) = key.Kind switch
            {
                SpaceValueKind.Name => (SpaceValue.Of(key.Names[1]), key.Names[1]),
                SpaceValueKind.Integer => (SpaceValue.Of(3), 3),
                _ => (SpaceValue.Of(0.5), (object)0.5f),
            };
            config = config.With(key, value);
            Assert.Equal(expected, config.ValueOf(key));
        }
        Assert.Equal(SpaceKey.All.Count, config.Values.Count);
        Assert.Equal(SpaceKey.All.Select(k => k.Name), config.Values.Keys);
    }

    [Fact]
    public void Each_key_sets_one_setting_of_its_own()
    {
        var settings = typeof(TrialConfig).GetProperties().Where(p => p.CanWrite).ToList();
        var setBy = new Dictionary<string, string>();
        foreach (var key in SpaceKey.All)
        {
            var value = key.Kind switch
            {
                SpaceValueKind.Name => SpaceValue.Of(key.Names[0]),
                SpaceValueKind.Integer => SpaceValue.Of(2),
                _ => SpaceValue.Of(0.25),
            };
            var config = key.Set(new TrialConfig(), value);
            var changed = settings.Where(p => p.GetValue(config) is not null).Select(p => p.Name).ToList();
            var setting = Assert.Single(changed);
            Assert.True(setBy.TryAdd(setting, key.Name), $"{key.Name} sets {setting}, which {setBy.GetValueOrDefault(setting)} sets too");
            Assert.Equal(settings.Single(p => p.Name == setting).GetValue(config), key.Get(config));
        }
        Assert.Equal(settings.Count, setBy.Count);
    }
}
