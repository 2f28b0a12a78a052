using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// The trials of a sweep, in order, the same for the same spec on every machine.
/// Grid: every point of each space in turn, keys in <see cref="SpaceKey.All"/>'s order with the first key changing slowest and each key's
/// values in the order given. Random and ASHA: <see cref="SweepSpec.Trials"/> configurations, configuration k's
/// key drawn from <see cref="SplitMix64"/> seeded with (sweep seed, k, key ordinal), so configuration k is the same
/// whatever the number of trials. Each configuration is trained with <see cref="SweepSpec.SeedsPerConfig"/> seeds,
/// its replicas adjacent: trial index = configuration index * seeds per config + replica, and the trial's seed is
/// <see cref="TrialSeed"/>(sweep seed, trial index).
/// </summary>
public static class SweepPlan
{
    public static IReadOnlyList<TrialPlan> Trials(SweepSpec spec)
    {
        var configs = spec.Search == SearchKind.Grid ? Grid(spec) : [.. Enumerable.Range(0, spec.Trials ?? 0).Select(k => Sample(spec, k))];
        var trials = new List<TrialPlan>(configs.Count * spec.SeedsPerConfig);
        for (int config = 0; config < configs.Count; config++)
            for (int replica = 0; replica < spec.SeedsPerConfig; replica++)
            {
                int index = trials.Count;
                trials.Add(new TrialPlan(index, config, replica, configs[config], TrialSeed(spec.Seed, index)));
            }
        return trials;
    }

    /// <summary>Every point of the grid over each of the spec's spaces, space after space (one empty configuration for an empty space).</summary>
    public static IReadOnlyList<TrialConfig> Grid(SweepSpec spec) => [.. spec.Spaces.SelectMany(Grid)];

    private static List<TrialConfig> Grid(IReadOnlyDictionary<string, Domain> space)
    {
        var configs = new List<TrialConfig> { new() };
        foreach (var key in SpaceKey.All)
        {
            if (!space.TryGetValue(key.Name, out var domain)) continue;
            var points = domain.GridPoints ?? throw new InvalidOperationException($"{key.Field} is a continuous range; a grid needs values");
            configs = [.. configs.SelectMany(config => points.Select(point => config.With(key, point)))];
        }
        return configs;
    }

    /// <summary>Configuration <paramref name="configIndex"/> of a random or ASHA sweep: each key drawn from its own stream.</summary>
    public static TrialConfig Sample(SweepSpec spec, int configIndex)
    {
        var config = new TrialConfig();
        foreach (var key in SpaceKey.All)
            if (spec.Space.TryGetValue(key.Name, out var domain))
            {
                double u = SplitMix64.For(spec.Seed, (ulong)configIndex, (ulong)key.Ordinal).NextDouble();
                config = config.With(key, domain.Sample(u));
            }
        return config;
    }

    /// <summary>The training seed of trial <paramref name="trialIndex"/>: the top 32 bits of SplitMix64 seeded with (sweep seed, index).</summary>
    public static uint TrialSeed(uint sweepSeed, int trialIndex) =>
        (uint)(SplitMix64.For(sweepSeed, (ulong)trialIndex).NextUInt64() >> 32);
}
