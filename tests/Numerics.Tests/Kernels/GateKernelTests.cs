using RnnCluster.Numerics.Kernels;
using static RnnCluster.Numerics.Tests.Kernels.KernelData;

namespace RnnCluster.Numerics.Tests.Kernels;

/// <summary>Every gate kernel equals its scalar reference bit for bit, at every length 0..256, and computes its formula.</summary>
public class GateKernelTests
{
    public static IEnumerable<object[]> Lengths => Enumerable.Range(0, 257).Select(n => new object[] { n });

    // values in (0, 1), as activated sigmoid gates are
    private static float[] Gates(int n, int seed) => Random(n, seed, 0.98f, 0.5f);

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Sigmoid_matches_scalar(int n)
    {
        var z = Random(n, 1, 40f);
        var expected = new float[n];
        var actual = new float[n];
        ScalarGateKernels.Sigmoid(z, expected);
        GateKernels.Sigmoid(z, actual);
        AssertBitwiseEqual(expected, actual);
        GateKernels.Sigmoid(z, z);   // in place, as the layers call it
        AssertBitwiseEqual(expected, z);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Multiply_matches_scalar(int n)
    {
        var a = Random(n, 2);
        var b = Random(n, 3);
        var expected = new float[n];
        var actual = (float[])a.Clone();
        ScalarGateKernels.Multiply(a, b, expected);
        GateKernels.Multiply(actual, b, actual); // in place, as the layers use it
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MultiplyAddElementwise_matches_scalar(int n)
    {
        var a = Random(n, 4);
        var b = Random(n, 5);
        var expected = Random(n, 6);
        var actual = (float[])expected.Clone();
        ScalarGateKernels.MultiplyAddElementwise(a, b, expected);
        GateKernels.MultiplyAddElementwise(a, b, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Lstm_step_in_one_pass_or_two_matches_the_kernels_one_after_the_other(int n)
    {
        var z = Random(4 * n, 21, 8f);
        var cPrev = Random(n, 22, 4f);
        var gates = (float[])z.Clone();
        ScalarGateKernels.Sigmoid(gates.AsSpan(0, 2 * n), gates.AsSpan(0, 2 * n));
        ScalarKernels.Tanh(gates.AsSpan(2 * n, n), gates.AsSpan(2 * n, n));
        ScalarGateKernels.Sigmoid(gates.AsSpan(3 * n, n), gates.AsSpan(3 * n, n));
        var c = new float[n];
        var tanhC = new float[n];
        var h = new float[n];
        ScalarGateKernels.LstmCell(gates, cPrev, c);
        ScalarKernels.Tanh(c, tanhC);
        ScalarGateKernels.Multiply(gates.AsSpan(3 * n, n), tanhC, h);

        // the host's choice, then each form on any host (one pass with AVX-512, two with AVX2: see LstmStepKernel)
        foreach (var step in new LstmStep[] { LstmStepKernel.Forward, LstmStepKernel.InOnePass, LstmStepKernel.InTwoPasses })
        {
            var actual = (float[])z.Clone();
            var fc = new float[n];
            var ft = new float[n];
            var fh = new float[n];
            step(actual, cPrev, fc, ft, fh);
            AssertBitwiseEqual(gates, actual);
            AssertBitwiseEqual(c, fc);
            AssertBitwiseEqual(tanhC, ft);
            AssertBitwiseEqual(h, fh);
        }
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void LstmCellBackward_matches_scalar(int n)
    {
        var gates = Gates(4 * n, 9);
        var cPrev = Random(n, 10, 4f);
        var tanhC = Random(n, 11, 1.9f);
        var dh = Random(n, 12);
        var dcExpected = Random(n, 13);
        var dcActual = (float[])dcExpected.Clone();
        var dzExpected = new float[4 * n];
        var dzActual = new float[4 * n];
        ScalarGateKernels.LstmCellBackward(gates, cPrev, tanhC, dh, dcExpected, dzExpected);
        GateKernels.LstmCellBackward(gates, cPrev, tanhC, dh, dcActual, dzActual);
        AssertBitwiseEqual(dzExpected, dzActual);
        AssertBitwiseEqual(dcExpected, dcActual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void AddSigmoid_matches_scalar_and_Add_then_Sigmoid(int n)
    {
        var a = Random(n, 30, 20f);
        var b = Random(n, 31, 20f);
        var expected = new float[n];
        ScalarGateKernels.AddSigmoid(a, b, expected);
        var passes = (float[])a.Clone();
        SimdKernels.Add(b, passes);
        GateKernels.Sigmoid(passes, passes);
        AssertBitwiseEqual(expected, passes);
        GateKernels.AddSigmoid(a, b, a); // in place, as the GRU cell calls it
        AssertBitwiseEqual(expected, a);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void MultiplyAddTanh_matches_scalar_and_MultiplyAddElementwise_then_Tanh(int n)
    {
        var a = Gates(n, 32);
        var b = Random(n, 33, 6f);
        var c = Random(n, 34, 6f);
        var expected = new float[n];
        ScalarGateKernels.MultiplyAddTanh(a, b, c, expected);
        var passes = (float[])c.Clone();
        GateKernels.MultiplyAddElementwise(a, b, passes);
        SimdKernels.Tanh(passes, passes);
        AssertBitwiseEqual(expected, passes);
        GateKernels.MultiplyAddTanh(a, b, c, c); // in place, as the GRU cell calls it
        AssertBitwiseEqual(expected, c);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void GruMix_matches_scalar(int n)
    {
        var z = Gates(n, 14);
        var hPrev = Random(n, 15);
        var hCandidate = Random(n, 16);
        var expected = new float[n];
        var actual = new float[n];
        ScalarGateKernels.GruMix(z, hPrev, hCandidate, expected);
        GateKernels.GruMix(z, hPrev, hCandidate, actual);
        AssertBitwiseEqual(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Lengths))]
    public void GruCellBackward_matches_scalar(int n)
    {
        var gates = Gates(3 * n, 17);
        var recurrentH = Random(n, 18, 4f);
        var hPrev = Random(n, 19);
        var dh = Random(n, 20);
        float[] dxExpected = new float[3 * n], dxActual = new float[3 * n];
        float[] drExpected = new float[n], drActual = new float[n];
        float[] dhExpected = new float[n], dhActual = new float[n];
        ScalarGateKernels.GruCellBackward(gates, recurrentH, hPrev, dh, dxExpected, drExpected, dhExpected);
        GateKernels.GruCellBackward(gates, recurrentH, hPrev, dh, dxActual, drActual, dhActual);
        AssertBitwiseEqual(dxExpected, dxActual);
        AssertBitwiseEqual(drExpected, drActual);
        AssertBitwiseEqual(dhExpected, dhActual);
    }

    [Fact]
    public void Sigmoid_is_the_logistic_function_and_saturates_without_nan()
    {
        float[] z = [0f, 2f, -2f, 100f, -100f];
        var s = new float[z.Length];
        GateKernels.Sigmoid(z, s);
        Assert.Equal(0.5f, s[0]);
        Assert.Equal(1 / (1 + Math.Exp(-2)), s[1], 6);
        Assert.Equal(1 / (1 + Math.Exp(2)), s[2], 6);
        Assert.Equal(1f, s[3]);
        Assert.Equal(0f, s[4]);
    }

    [Fact]
    public void Lstm_and_gru_cells_compute_their_formulas()
    {
        // LSTM, one unit: i = 0.5, f = 0.25, g = -0.5, o = 0.75, c_{t-1} = 2: c = 0.25*2 + 0.5*(-0.5) = 0.25
        var c = new float[1];
        ScalarGateKernels.LstmCell([0.5f, 0.25f, -0.5f, 0.75f], [2f], c);
        Assert.Equal(0.25f, c[0]);
        // GRU, one unit: z = 0.25, h_{t-1} = 2, h~ = -0.5: h = 0.25*2 + 0.75*(-0.5) = 0.125
        var h = new float[1];
        GateKernels.GruMix([0.25f], [2f], [-0.5f], h);
        Assert.Equal(0.125f, h[0]);
    }

    [Fact]
    public void Lstm_cell_backward_is_the_derivative_of_the_cell()
    {
        // One unit, gates as pre-activations p: c = σ(p_f) c_prev + σ(p_i) tanh(p_g), h = σ(p_o) tanh(c).
        // L = a*h + b*c (dh = a, dc = b from later): compare the kernel's dz and dc_prev with central differences.
        double[] p = [0.3, -0.7, 0.9, 0.2];
        double cPrev = 0.8, a = 1.3, b = -0.6;
        static double S(double v) => 1 / (1 + Math.Exp(-v));
        double Loss(double[] q, double cp)
        {
            double c = S(q[1]) * cp + S(q[0]) * Math.Tanh(q[2]);
            return a * S(q[3]) * Math.Tanh(c) + b * c;
        }
        float[] gates = [(float)S(p[0]), (float)S(p[1]), (float)Math.Tanh(p[2]), (float)S(p[3])];
        float c = gates[1] * (float)cPrev + gates[0] * gates[2];
        float[] dc = [(float)b];
        var dz = new float[4];
        GateKernels.LstmCellBackward(gates, [(float)cPrev], [MathF.Tanh(c)], [(float)a], dc, dz);
        const double h = 1e-5;
        for (int k = 0; k < 4; k++)
        {
            var plus = (double[])p.Clone();
            var minus = (double[])p.Clone();
            plus[k] += h;
            minus[k] -= h;
            Assert.Equal((Loss(plus, cPrev) - Loss(minus, cPrev)) / (2 * h), dz[k], 4);
        }
        Assert.Equal((Loss(p, cPrev + h) - Loss(p, cPrev - h)) / (2 * h), dc[0], 4);
    }

    [Fact]
    public void Gru_cell_backward_is_the_derivative_of_the_cell()
    {
        // One unit: z = σ(xz + rz), r = σ(xr + rr), h~ = tanh(xh + r*rh), h = z*h_prev + (1 - z)*h~, L = a*h.
        // v = (xz, xr, xh, rz, rr, rh, h_prev); the kernel gives dL/dv (h_prev only through z*h_prev), with
        // dL/drz = dL/dxz and dL/drr = dL/dxr (z and r see xz + rz and xr + rr) and dL/drh of its own.
        double[] v = [0.4, -0.3, 0.6, 0.1, 0.5, -0.8, 0.7];
        double a = 1.7;
        static double S(double u) => 1 / (1 + Math.Exp(-u));
        double Loss(double[] q)
        {
            double z = S(q[0] + q[3]), r = S(q[1] + q[4]), hc = Math.Tanh(q[2] + r * q[5]);
            return a * (z * q[6] + (1 - z) * hc);
        }
        double zg = S(v[0] + v[3]), rg = S(v[1] + v[4]), hcg = Math.Tanh(v[2] + rg * v[5]);
        float[] dx = new float[3], drh = new float[1], dhPrev = new float[1];
        GateKernels.GruCellBackward([(float)zg, (float)rg, (float)hcg], [(float)v[5]], [(float)v[6]], [(float)a], dx, drh, dhPrev);
        double[] analytic = [dx[0], dx[1], dx[2], dx[0], dx[1], drh[0], dhPrev[0]];
        const double h = 1e-5;
        for (int k = 0; k < v.Length; k++)
        {
            var plus = (double[])v.Clone();
            var minus = (double[])v.Clone();
            plus[k] += h;
            minus[k] -= h;
            Assert.Equal((Loss(plus) - Loss(minus)) / (2 * h), analytic[k], 4);
        }
    }

    private delegate void LstmStep(Span<float> gates, ReadOnlySpan<float> cPrev, Span<float> c, Span<float> tanhC, Span<float> h);
}
