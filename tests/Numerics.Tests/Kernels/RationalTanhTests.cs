using System.Runtime.Intrinsics;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>
/// The rational tanh is close to the true tanh (checked in double against Math.Tanh), keeps tanh's symmetry and
/// limits, and every form of it (512, 256, 128 bits, one element) gives the bits of the scalar reference.
/// </summary>
public class RationalTanhTests
{
    // zeros, the small-input branch's edge, the clamp's edge, infinities, and the largest values
    private static readonly float[] Specials = [0f, -0f, float.Epsilon, 3.9e-4f, 4e-4f, 4.1e-4f, -4e-4f, 7.9f, 7.99881172180175781f, 8f,
        20f, 1e30f, float.MaxValue, float.PositiveInfinity, float.NegativeInfinity, -20f, -float.MaxValue];

    // every 97th float between -10 and 10 (about 22 million values), plus the special values
    private static IEnumerable<float> Grid()
    {
        for (int bits = BitConverter.SingleToInt32Bits(10f); bits > 0; bits -= 97)
        {
            float x = BitConverter.Int32BitsToSingle(bits);
            yield return x;
            yield return -x;
        }
        foreach (float x in Specials) yield return x;
    }

    [Fact]
    public void Is_within_4e7_of_tanh_and_within_5e7_relative_near_zero()
    {
        double worstAbsolute = 0, worstRelative = 0;
        foreach (float x in Grid())
        {
            double exact = Math.Tanh(x), got = RationalTanh.Reference(x);
            worstAbsolute = Math.Max(worstAbsolute, Math.Abs(got - exact));
            if (Math.Abs(x) < 0.5 && exact != 0) worstRelative = Math.Max(worstRelative, Math.Abs(got - exact) / Math.Abs(exact));
        }
        Assert.True(worstAbsolute < 4e-7, $"worst absolute error {worstAbsolute:E3}");
        Assert.True(worstRelative < 5e-7, $"worst relative error below 0.5: {worstRelative:E3}");
    }

    [Fact]
    public void Is_odd_bounded_and_monotone_to_within_its_error_bound()
    {
        float previous = -1f;
        for (int i = -20000; i <= 20000; i++)
        {
            float x = i * 0.0005f;
            float y = RationalTanh.Reference(x);
            Assert.Equal(BitConverter.SingleToInt32Bits(-y), BitConverter.SingleToInt32Bits(RationalTanh.Reference(-x)));
            Assert.InRange(y, -1f, 1f);
            // a rational approximation is not monotone at the last bits: allow no more than its error bound (4e-7)
            Assert.True(y >= previous - 4e-7f, $"tanh({x}) = {y} < tanh of the previous point {previous}");
            previous = y;
        }
        Assert.Equal(1f, RationalTanh.Reference(float.PositiveInfinity));
        Assert.Equal(-1f, RationalTanh.Reference(float.NegativeInfinity));
        Assert.True(float.IsNaN(RationalTanh.Reference(float.NaN)));
        Assert.Equal(BitConverter.SingleToInt32Bits(-0f), BitConverter.SingleToInt32Bits(RationalTanh.Reference(-0f)));
    }

    [Fact]
    public void Every_vector_width_gives_the_reference_bits()
    {
        // a sample of the grid, every special value and NaN, padded with zeros to whole 512-bit vectors
        var sample = Grid().Where((_, i) => i % 7 == 0).Concat(Specials).Append(float.NaN).ToList();
        while (sample.Count % 16 != 0) sample.Add(0f);
        var values = sample.ToArray();
        Span<float> lanes = stackalloc float[16];
        for (int start = 0; start + 16 <= values.Length; start += 16)
        {
            var chunk = values.AsSpan(start, 16);
            RationalTanh.Of(new V512(Vector512.Create((ReadOnlySpan<float>)chunk))).Value.CopyTo(lanes);
            Check(chunk, lanes, "512");
            for (int h = 0; h < 16; h += 8)
            {
                RationalTanh.Of(new V256(Vector256.Create((ReadOnlySpan<float>)chunk.Slice(h, 8)))).Value.CopyTo(lanes.Slice(h, 8));
            }
            Check(chunk, lanes, "256");
            for (int h = 0; h < 16; h += 4)
                RationalTanh.Of(new V128(Vector128.Create((ReadOnlySpan<float>)chunk.Slice(h, 4)))).Value.CopyTo(lanes.Slice(h, 4));
            Check(chunk, lanes, "128");
            for (int h = 0; h < 16; h++) lanes[h] = RationalTanh.Of(chunk[h]);
            Check(chunk, lanes, "one element");
        }
    }

    private static void Check(ReadOnlySpan<float> x, ReadOnlySpan<float> got, string form)
    {
        for (int i = 0; i < x.Length; i++)
        {
            float expected = RationalTanh.Reference(x[i]);
            // the message is formatted only on a failure: formatting 3 million of them took 20 s
            if (BitConverter.SingleToInt32Bits(expected) != BitConverter.SingleToInt32Bits(got[i]) && !(float.IsNaN(expected) && float.IsNaN(got[i])))
                Assert.Fail($"{form}: tanh({x[i]:R}) = {got[i]:R}, reference {expected:R}");
        }
    }
}
