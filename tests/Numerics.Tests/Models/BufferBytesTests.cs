using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Tests.Models;

/// <summary>
/// <see cref="ModelSpec.BufferBytes"/> is what a network of the spec allocates, computed without building it: it must
/// match what building the network really allocates, for every layer kind and every setting that adds a buffer, or a
/// request could pass the memory check and still exhaust a silo.
/// </summary>
public class BufferBytesTests
{
    // everything besides the float buffers: objects, array headers, shape lists, names (1.5-11 KB a network measured),
    // and each buffer's room to start on a 64-byte boundary (AlignedFloats: up to 60 bytes and an object, about 25
    // buffers in a recurrent layer)
    private const long OverheadPerLayer = 6144;

    public static TheoryData<string> Specs()
    {
        var specs = new TheoryData<string>();
        foreach (string json in ModelCatalogue.All.Where(e => e.Spec is not null).Select(e => e.Spec!.ToJson()).Distinct()) specs.Add(json);
        foreach (var extra in new ModelSpec[]
        {
            new([new SimpleRnnSpec(24, true, Dropout: 0.2f, RecurrentDropout: 0.3f), new LstmSpec(16, Dropout: 0.1f), new DenseSpec(2)]),
            new([new GruSpec(12, true, RecurrentDropout: 0.25f), new GruSpec(8, true, Dropout: 0.5f), new DenseSpec(1)]),
            new([new LnSimpleRnnSpec(20, true), new LnSimpleRnnSpec(20), new DenseSpec(3)]),
            new([new Conv1DSpec(16, 4, Strides: 2, Activation: "relu"), new GruSpec(10), new DenseSpec(1)]),
            new([new Conv1DSpec(8, 3, Padding: "causal", DilationRate: 4, Activation: "tanh"), new Conv1DSpec(8, 1), new FlattenSpec(), new DenseSpec(4)]),
            new([new Conv1DSpec(12, 5), new SimpleRnnSpec(6), new DenseSpec(1)]),
        })
            specs.Add(extra.ToJson());
        return specs;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_layers_buffers_are_counted_before_anything_is_allocated(string json)
    {
        var spec = ModelSpec.FromJson(json);
        foreach (var (steps, features, maxBatch) in new[] { (120, 3, 32), (64, 1, 4), (200, 2, 64) })
        {
            _ = new Network(spec, steps, features, maxBatch);   // the constructors' code jitted, so only buffers count below
            long before = GC.GetAllocatedBytesForCurrentThread();
            _ = new Network(spec, steps, features, maxBatch);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            long counted = spec.BufferBytes(steps, features, maxBatch);
            Assert.True(counted <= allocated && allocated - counted <= OverheadPerLayer * (spec.Layers.Count + 1),
                $"{json} at {steps} steps x {features} features, blocks of {maxBatch}: counted {counted} bytes, allocated {allocated}");
        }
    }

    [Fact]
    public void The_buffers_grow_with_the_block_and_the_window()
    {
        var spec = new ModelSpec([new LstmSpec(64, true), new LstmSpec(64), new DenseSpec(1)]);
        long small = spec.BufferBytes(50, 1, 32);
        Assert.InRange(spec.BufferBytes(500, 1, 32), 9 * small, 10 * small);
        Assert.InRange(spec.BufferBytes(50, 1, 64), 19 * small / 10, 2 * small);
    }
}
