using System.Runtime.CompilerServices;
using RnnCluster.Numerics.Data;
using RnnCluster.Numerics.Kernels;

namespace RnnCluster.Numerics.Layers;

/// <summary>
/// Dense: y_t = x_t K + b at every time step (Keras's Dense on a 3-D input, i.e. TimeDistributed); after a layer
/// that returns only its last step there is one step, and this is the usual Dense on the last state.
/// Weights: kernel [in, units] (glorot_uniform), bias [units] (zeros).
/// </summary>
public sealed class Dense : Layer
{
    private readonly AlignedFloats _kernelT; // [units, in], the transposed kernel for the input gradient

    public Dense(string name, int maxBatch, int steps, int inputFeatures, int units)
        : base(name, maxBatch, steps, inputFeatures, steps, units)
    {
        Parameters = [new ParameterShape("kernel", [inputFeatures, units]), new ParameterShape("bias", [units])];
        _kernelT = new AlignedFloats(inputFeatures * units);
    }

    /// <summary>The floats the constructor allocates (the transposed kernel), computed without allocating them.</summary>
    public static long BufferFloats(int inputFeatures, int units) => (long)inputFeatures * units;

    public override IReadOnlyList<ParameterShape> Parameters { get; }

    private int In => InputFeatures;
    private int Units => OutputFeatures;

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[..(In * Units)], In, Units, random);
        parameters[(In * Units)..].Clear();
    }

    // x: [batch, steps, in] -> y: [batch, steps, units]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        var kernel = parameters[..(In * Units)];
        var bias = parameters.Slice(In * Units, Units);
        int rows = batch * InputSteps;
        for (int row = 0; row < rows; row++) bias.CopyTo(y.Slice(row * Units, Units));
        BlockProduct.MultiplyAdd(new MatrixIn(x, 0, In), new MatrixIn(kernel, 0, Units), new MatrixOut(y, 0, Units), rows: rows, depth: In, columns: Units);
    }

    // dy: [batch, steps, units] -> dx: [batch, steps, in] (=)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        if (dx.IsEmpty) return;
        Transpose.Matrix(parameters[..(In * Units)], In, Units, _kernelT);
        int rows = batch * InputSteps;
        // forward: y = x K + b, so dx = dy K^T
        dx[..(rows * In)].Clear();
        BlockProduct.MultiplyAdd(new MatrixIn(dy, 0, Units), new MatrixIn(_kernelT, 0, In), new MatrixOut(dx, 0, In), rows: rows, depth: Units, columns: In);
    }

    // x: [batch, steps, in], dy: [batch, steps, units], samples [first, first + count) -> dKernel [in, units], dBias [units] (+=)
    protected override void AddWeightGradientsCore(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count)
    {
        var dKernel = dParameters[..(In * Units)];
        var dBias = dParameters.Slice(In * Units, Units);
        int firstRow = first * InputSteps, rows = count * InputSteps;
        // forward: y = x K + b, so db += Σ dy, dK += Σ x^T dy (rows in order)
        SimdKernels.AddRows(dy, firstRow * Units, Units, rows, dBias);
        BlockProduct.MultiplyAdd(new MatrixIn(x, firstRow * In, 1, In), new MatrixIn(dy, firstRow * Units, Units), new MatrixOut(dKernel, 0, Units), rows: In, depth: rows, columns: Units);
    }
}
