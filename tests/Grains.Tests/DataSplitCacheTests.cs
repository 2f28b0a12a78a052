using RnnCluster.Grains.Interfaces;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Grains.Tests;

/// <summary>
/// A job's data is built once per process: every JobPlan of the same data and split (a sweep's trials, a job's
/// coordinator and its shards on one silo) shares one DataSplit, identified by the data's content, not by the
/// arrays' identity; different data or a different split is built apart, and the shared split holds the values a
/// fresh build gives.
/// </summary>
public class DataSplitCacheTests
{
    private static readonly TrainingSettings OneEpoch = new(Epochs: 1);

    [Fact]
    public void Plans_of_the_same_chapter_data_share_one_split_with_the_values_of_a_fresh_build()
    {
        var first = JobPlan.From(Jobs.Spec("deep-rnn", OneEpoch) with { Data = new DataSpec(DataSeed: 4242) });
        var second = JobPlan.From(Jobs.Spec("linear", OneEpoch with { Seed = 7 }) with { Data = new DataSpec(DataSeed: 4242) });
        Assert.Same(first.Data, second.Data);

        var fresh = new ChapterSource(4242).Vector(1);
        Assert.Equal(fresh.Train.Inputs, first.Data.Train.Inputs);
        Assert.Equal(fresh.Valid.Targets, first.Data.Valid.Targets);

        var otherSeed = JobPlan.From(Jobs.Spec("deep-rnn", OneEpoch) with { Data = new DataSpec(DataSeed: 4243) });
        Assert.NotSame(first.Data, otherSeed.Data);
        Assert.NotEqual(first.Data.Train.Inputs, otherSeed.Data.Train.Inputs);
    }

    [Fact]
    public void Csv_columns_with_equal_values_share_a_split_and_one_changed_value_does_not()
    {
        static DataSpec Csv(double[] column, int window = 20) => new(0, "wave.csv", [column], window);
        static double[] Wave() => [.. Enumerable.Range(0, 600).Select(i => Math.Sin(i * 0.1) + 0.01 * (i % 7))];
        var spec = Jobs.Spec("linear", OneEpoch);

        var a = JobPlan.From(spec with { Data = Csv(Wave()) });
        var b = JobPlan.From(spec with { Data = Csv(Wave()) });   // another array, the same values
        Assert.Same(a.Data, b.Data);

        var changed = Wave();
        changed[300] += 1e-9;
        Assert.NotSame(a.Data, JobPlan.From(spec with { Data = Csv(changed) }).Data);
        Assert.NotSame(a.Data, JobPlan.From(spec with { Data = Csv(Wave(), window: 21) }).Data);
        Assert.NotSame(a.Data, JobPlan.From(spec with { Data = Csv(Wave()) with { Differences = [10] } }).Data);
    }

    [Fact]
    public void The_cache_builds_a_split_it_does_not_hold_once_and_forgets_the_least_recently_used()
    {
        int calls = 0;
        DataSplit Build() { calls++; return new ChapterSource(1).Vector(1); }
        string key = $"test {Guid.NewGuid()}";
        var split = DataSplitCache.GetOrBuild(key, Build);
        Assert.Same(split, DataSplitCache.GetOrBuild(key, Build));
        Assert.Equal(1, calls);

        // MaxEntries other splits later it is gone (the small one below is reused under every other key)
        var small = new DataSplit(Tiny(), Tiny(), Tiny());
        for (int i = 0; i < DataSplitCache.MaxEntries; i++) DataSplitCache.GetOrBuild($"{key} other {i}", () => small);
        DataSplitCache.GetOrBuild(key, Build);
        Assert.Equal(2, calls);
    }

    private static Dataset Tiny() => new([1f], [2f], 1, 1, 1, 1);
}
