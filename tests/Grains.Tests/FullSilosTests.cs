namespace RnnCluster.Grains.Tests;

/// <summary>
/// The silos a waiting job names as without room for its shards: each refusal's silo once, in order; a silo refusing
/// again (every other was named, so the director placed by its formula among all) starts the list over from it; a
/// refusal without a silo (the job's own evaluation) names none; the names travel in the RequestContext and the
/// placement director reads them back.
/// </summary>
public class FullSilosTests
{
    private static MemoryBudgetException Refusal(string? silo) => new("no room", fits: true) { Silo = silo };

    [Fact]
    public void Refusals_name_their_silos_once_and_a_repeated_one_starts_over()
    {
        var full = new FullSilos();
        Assert.True(full.Refused(Refusal("S10.0.0.1:11111:1")));
        Assert.False(full.Refused(Refusal("S10.0.0.1:11111:1")));   // the only one named, again: no change
        Assert.False(full.Refused(Refusal(null)));
        Assert.True(full.Refused(Refusal("S10.0.0.2:11111:1")));
        Assert.Equal(["S10.0.0.1:11111:1", "S10.0.0.2:11111:1"], full.Silos);
        Assert.True(full.Refused(Refusal("S10.0.0.1:11111:1")));
        Assert.Equal(["S10.0.0.1:11111:1"], full.Silos);
        full.Clear();
        Assert.Empty(full.Silos);
    }

    [Fact]
    public async Task The_names_travel_in_the_request_context_until_none_are_left()
    {
        await Task.Run(() =>
        {
            var full = new FullSilos();
            full.Refused(Refusal("S10.0.0.1:11111:1"));
            full.Name();
            var context = new Dictionary<string, object> { [FullSilos.Key] = RequestContext.Get(FullSilos.Key)! };
            Assert.Equal(["S10.0.0.1:11111:1"], FullSilos.NamedIn(context));
            full.Clear();
            full.Name();
            Assert.Null(RequestContext.Get(FullSilos.Key));
            Assert.Empty(FullSilos.NamedIn(null));
        });
    }
}
