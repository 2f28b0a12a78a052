using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary><see cref="AlignedFloats"/>: every buffer starts on a 64-byte boundary, holds zeros, and is as long as asked.</summary>
public class AlignedFloatsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(640)]
    [InlineData(100_000)]
    public void Every_buffer_starts_on_a_64_byte_boundary_and_holds_zeros(int length)
    {
        // many at once, so that their arrays fall at many different offsets from a boundary
        var buffers = Enumerable.Range(0, 64).Select(_ => new AlignedFloats(length)).ToList();
        foreach (var buffer in buffers)
        {
            Assert.Equal(length, buffer.Length);
            Assert.Equal(0, Address(buffer) % 64);
            Assert.All(buffer.AsSpan().ToArray(), x => Assert.Equal(0f, x));
        }
        // writes land in the buffer's own window
        buffers[0][length - 1] = 5f;
        Assert.Equal(5f, buffers[0].AsSpan(length - 1, 1)[0]);
        Assert.All(buffers[1].AsSpan().ToArray(), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void The_empty_buffer_has_no_elements_and_a_negative_length_is_refused()
    {
        Assert.Equal(0, AlignedFloats.Empty.AsSpan().Length);
        Assert.Equal(0, new AlignedFloats(0).Length);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedFloats(-1));
        Assert.Equal("length", error.ParamName);
    }

    // the first element's address: its offset from address zero (the buffer is pinned, so it stays put)
    private static long Address(AlignedFloats buffer) =>
        Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref MemoryMarshal.GetReference(buffer.AsSpan()));
}
