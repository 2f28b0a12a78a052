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
    private readonly float[] _kernelT; // [units, in], the transposed kernel for the input gradient

    public Dense(string name, int maxBatch, int steps, int inputFeatures, int units)
        : base(name, maxBatch, steps, inputFeatures, steps, units)
    {
        Parameters = [new ParameterShape("kernel", [inputFeatures, units]), new ParameterShape("bias", [units])];
        _kernelT = new float[inputFeatures * units];
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; }

    private int In => InputFeatures;
    private int Units => OutputFeatures;

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
        Initialisers.GlorotUniform(parameters[..(In * Units)], In, Units, random);
        parameters[(In * Units)..].Clear();
    }

    // x: [batch, steps, in] -> y: [batch, steps, units]
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        var kernel = parameters[..(In * Units)];
        var bias = parameters.Slice(In * Units, Units);
        for (int row = 0; row < batch * InputSteps; row++)
        {
            var yRow = y.Slice(row * Units, Units);
            bias.CopyTo(yRow);
            SimdKernels.VectorMatrixAdd(x.Slice(row * In, In), kernel, yRow);
        }
    }

    // dy: [batch, steps, units] -> dx: [batch, steps, in] (=); dKernel [in, units], dBias [units] (+=)
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public override void Backward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, Span<float> dParameters, int batch)
    {
        CheckBatch(batch);
        Transpose.Matrix(parameters[..(In * Units)], In, Units, _kernelT);
        var dKernel = dParameters[..(In * Units)];
        var dBias = dParameters.Slice(In * Units, Units);
        for (int row = 0; row < batch * InputSteps; row++)
        {
            var dyRow = dy.Slice(row * Units, Units);
            // forward: y = x K + b, so dK += outer(x, dy), db += dy, dx = dy K^T
            SimdKernels.Add(dyRow, dBias);
            SimdKernels.OuterAdd(x.Slice(row * In, In), dyRow, dKernel);
            var dxRow = dx.Slice(row * In, In);
            dxRow.Clear();
            SimdKernels.VectorMatrixAdd(dyRow, _kernelT, dxRow);
        }
    }
}
