namespace RnnCluster.Numerics.Data;

/// <summary>
/// A port of numpy's legacy <c>np.random.RandomState</c> (Mersenne Twister MT19937), so that data drawn here is
/// bit-for-bit the data the book's notebook draws after <c>np.random.seed(seed)</c>.
/// Seeding a scalar integer uses MT19937's <c>init_genrand</c> (numpy's <c>mt19937_seed</c>), not <c>init_by_array</c>.
/// Not thread-safe: one instance per thread.
/// </summary>
public sealed class NumpyRandomState
{
    private const int StateLength = 624;
    private const int Shift = 397;
    private const uint MatrixA = 0x9908b0dfU;
    private const uint UpperMask = 0x80000000U;
    private const uint LowerMask = 0x7fffffffU;

    private readonly uint[] _key = new uint[StateLength];
    private int _position;
    private bool _hasGauss;
    private double _gauss;

    /// <summary>Same state as <c>np.random.seed(seed)</c> (any seed in 0 .. 2^32 - 1).</summary>
    public NumpyRandomState(uint seed)
    {
        uint s = seed;
        for (int i = 0; i < StateLength; i++)
        {
            _key[i] = s;
            s = 1812433253U * (s ^ (s >> 30)) + (uint)(i + 1);
        }
        _position = StateLength;
        _hasGauss = false;
        _gauss = 0.0;
    }

    /// <summary>The next raw 32-bit output of MT19937 (numpy's <c>mt19937_next32</c>).</summary>
    public uint NextUInt32()
    {
        if (_position == StateLength)
            Regenerate();
        uint y = _key[_position++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680U;
        y ^= (y << 15) & 0xefc60000U;
        y ^= y >> 18;
        return y;
    }

    /// <summary>A double in [0, 1) with 53 random bits: numpy's <c>random_sample</c> / <c>rand</c>.</summary>
    public double NextDouble()
    {
        uint a = NextUInt32() >> 5;
        uint b = NextUInt32() >> 6;
        return (a * 67108864.0 + b) / 9007199254740992.0;
    }

    /// <summary>Fills <paramref name="destination"/> in C order, as <c>np.random.rand(*shape).ravel()</c> does.</summary>
    public void Fill(Span<double> destination)
    {
        for (int i = 0; i < destination.Length; i++)
            destination[i] = NextDouble();
    }

    /// <summary>
    /// A standard normal value, numpy's legacy <c>standard_normal</c>: the polar (Marsaglia) method, which makes two
    /// values per accepted pair; the first call returns <c>f * x2</c> and keeps <c>f * x1</c> for the next call.
    /// </summary>
    public double NextGaussian()
    {
        if (_hasGauss)
        {
            double cached = _gauss;
            _hasGauss = false;
            _gauss = 0.0;
            return cached;
        }

        double x1, x2, r2;
        do
        {
            x1 = 2.0 * NextDouble() - 1.0;
            x2 = 2.0 * NextDouble() - 1.0;
            r2 = x1 * x1 + x2 * x2;
        }
        while (r2 >= 1.0 || r2 == 0.0);

        double f = Math.Sqrt(-2.0 * Math.Log(r2) / r2);
        _gauss = f * x1;
        _hasGauss = true;
        return f * x2;
    }

    private void Regenerate()
    {
        uint[] mt = _key;
        int i;
        for (i = 0; i < StateLength - Shift; i++)
        {
            uint y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + Shift] ^ (y >> 1) ^ ((y & 1U) == 0 ? 0U : MatrixA);
        }
        for (; i < StateLength - 1; i++)
        {
            uint y = (mt[i] & UpperMask) | (mt[i + 1] & LowerMask);
            mt[i] = mt[i + Shift - StateLength] ^ (y >> 1) ^ ((y & 1U) == 0 ? 0U : MatrixA);
        }
        uint last = (mt[StateLength - 1] & UpperMask) | (mt[0] & LowerMask);
        mt[StateLength - 1] = mt[Shift - 1] ^ (last >> 1) ^ ((last & 1U) == 0 ? 0U : MatrixA);
        _position = 0;
    }
}
