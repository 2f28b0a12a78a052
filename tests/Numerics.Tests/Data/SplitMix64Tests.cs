using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

public class SplitMix64Tests
{
    [Fact]
    public void Outputs_match_the_reference_implementation()
    {
        // splitmix64.c (Vigna) seeded with 1234567
        var random = new SplitMix64(1234567);
        Assert.Equal([6457827717110365317UL, 3203168211198807973UL, 9817491932198370423UL, 4593380528125082431UL, 16408922859458223821UL],
            Enumerable.Range(0, 5).Select(_ => random.NextUInt64()));
    }

    [Fact]
    public void Mix_is_one_step_of_a_generator_at_that_state()
    {
        Assert.Equal(new SplitMix64(1234567).NextUInt64(), SplitMix64.Mix(1234567));
    }

    [Fact]
    public void Doubles_are_in_the_unit_interval_and_uniform()
    {
        var random = SplitMix64.For(1, 2, 3);
        var draws = Enumerable.Range(0, 10_000).Select(_ => random.NextDouble()).ToList();
        Assert.All(draws, u => Assert.InRange(u, 0.0, Math.BitDecrement(1.0)));
        Assert.InRange(draws.Average(), 0.49, 0.51);
        Assert.InRange(draws.Count(u => u < 0.1), 900, 1100);
    }

    [Fact]
    public void Streams_depend_on_every_part_and_their_order()
    {
        static ulong Draw(params ulong[] parts) => SplitMix64.For(parts).NextUInt64();
        var draws = new[] { Draw(1, 2, 3), Draw(1, 3, 2), Draw(2, 1, 3), Draw(1, 2, 4), Draw(1, 2), Draw(0, 2, 3) };
        Assert.Equal(draws.Length, draws.Distinct().Count());
        Assert.Equal(Draw(1, 2, 3), Draw(1, 2, 3));
    }
}
