using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Data;

/// <summary>
/// Reference values from numpy 1.24.2 (Debian python3-numpy), produced with
/// <c>/usr/bin/python3 -c "import numpy as np; np.random.seed(S); print([repr(float(v)) for v in np.random.rand(20)])"</c>
/// for S = 0, 42, 4294967295, and the other commands given at each test.
/// </summary>
public class NumpyRandomStateTests
{
    private static double[] Draw(uint seed, int count)
    {
        var random = new NumpyRandomState(seed);
        var values = new double[count];
        for (int i = 0; i < count; i++) values[i] = random.NextDouble();
        return values;
    }

    [Fact]
    public void Rand_AfterSeed42_MatchesNumpy()
    {
        double[] expected =
        [
            0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366, 0.15601864044243652,
            0.15599452033620265, 0.05808361216819946, 0.8661761457749352, 0.6011150117432088, 0.7080725777960455,
            0.020584494295802447, 0.9699098521619943, 0.8324426408004217, 0.21233911067827616, 0.18182496720710062,
            0.18340450985343382, 0.3042422429595377, 0.5247564316322378, 0.43194501864211576, 0.2912291401980419,
        ];
        Assert.Equal(expected, Draw(42, 20));
    }

    [Fact]
    public void Rand_AfterSeed0_MatchesNumpy()
    {
        double[] expected =
        [
            0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969, 0.4236547993389047,
            0.6458941130666561, 0.4375872112626925, 0.8917730007820798, 0.9636627605010293, 0.3834415188257777,
            0.7917250380826646, 0.5288949197529045, 0.5680445610939323, 0.925596638292661, 0.07103605819788694,
            0.08712929970154071, 0.02021839744032572, 0.832619845547938, 0.7781567509498505, 0.8700121482468192,
        ];
        Assert.Equal(expected, Draw(0, 20));
    }

    [Fact]
    public void Rand_AfterLargestSeed_MatchesNumpy()
    {
        double[] expected =
        [
            0.0976320289940138, 0.9123828453026218, 0.78903530185164, 0.7800035981134678, 0.01793967398674523,
            0.9695059322147525, 0.5931753493510109, 0.14611715599393837, 0.9093750727977705, 0.5537363115925001,
            0.9845555560357949, 0.4142464457254096, 0.32420043998445336, 0.1817673614885038, 0.9335337533300324,
            0.8238800726077493, 0.8883492269047446, 0.48988577216566864, 0.20623726114956498, 0.9872079922499623,
        ];
        Assert.Equal(expected, Draw(uint.MaxValue, 20));
    }

    /// <summary>
    /// Crosses several regenerations of the 624-word state (2 words per value).
    /// <c>/usr/bin/python3 -c "import numpy as np; np.random.seed(42); a = np.random.rand(2000); print([repr(float(v)) for v in a[1000:1011]])"</c>
    /// </summary>
    [Fact]
    public void Rand_Values1000To1010_MatchNumpy()
    {
        double[] expected =
        [
            0.18513292883861965, 0.5419009473783581, 0.8729458358764083, 0.7322248864095612, 0.8065611478614497,
            0.6587833667107174, 0.6922765645178525, 0.8491956515653193, 0.24966800885918594, 0.4894249636431405,
            0.22120944181960223,
        ];
        Assert.Equal(expected, Draw(42, 1011)[1000..]);
    }

    [Fact]
    public void Fill_DrawsInOrderLikeRepeatedNextDouble()
    {
        var values = new double[1500];
        new NumpyRandomState(42).Fill(values);
        Assert.Equal(0.3745401188473625, values[0]);
        Assert.Equal(0.18513292883861965, values[1000]);
        Assert.Equal(Draw(42, 1500), values);
    }

    /// <summary>
    /// <c>/usr/bin/python3 -c "import numpy as np; np.random.seed(42); print([repr(float(v)) for v in np.random.standard_normal(10)])"</c>
    /// </summary>
    [Fact]
    public void StandardNormal_AfterSeed42_MatchesNumpy()
    {
        double[] expected =
        [
            0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254, -0.23415337472333597,
            -0.23413695694918055, 1.5792128155073915, 0.7674347291529088, -0.4694743859349521, 0.5425600435859647,
        ];
        var random = new NumpyRandomState(42);
        var actual = new double[10];
        for (int i = 0; i < actual.Length; i++) actual[i] = random.NextGaussian();
        Assert.Equal(expected, actual);
    }

    /// <summary>
    /// The second value of a polar pair is cached and returned by the next call even after a uniform draw.
    /// <c>/usr/bin/python3 -c "import numpy as np; np.random.seed(7); print(repr(np.random.standard_normal()), repr(np.random.rand()), repr(np.random.standard_normal()), repr(np.random.standard_normal()))"</c>
    /// </summary>
    [Fact]
    public void StandardNormal_KeepsCachedValueAcrossUniformDraws()
    {
        var random = new NumpyRandomState(7);
        Assert.Equal(1.690525703800356, random.NextGaussian());
        Assert.Equal(0.9779895119966027, random.NextDouble());
        Assert.Equal(-0.4659373705408328, random.NextGaussian());
        Assert.Equal(0.09316606097975175, random.NextGaussian());
    }

    [Fact]
    public void NewInstance_DoesNotShareCachedGaussian()
    {
        var first = new NumpyRandomState(7);
        first.NextGaussian();
        Assert.Equal(1.690525703800356, new NumpyRandomState(7).NextGaussian());
    }
}
