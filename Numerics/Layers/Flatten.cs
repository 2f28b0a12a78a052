using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Layers;

/// <summary>Flatten: [batch, steps, features] -> [batch, 1, steps * features]; the memory layout is unchanged.</summary>
public sealed class Flatten : Layer
{
    public Flatten(string name, int maxBatch, int steps, int features)
        : base(name, maxBatch, steps, features, 1, steps * features)
    {
    }

    public override IReadOnlyList<ParameterShape> Parameters { get; } = [];

    public override void Initialise(Span<float> parameters, NumpyRandomState random)
    {
    }

    // x: [batch, steps, features] -> y: [batch, 1, steps * features]
    public override void Forward(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, Span<float> y, int batch)
    {
        CheckBatch(batch);
        x[..(batch * InputSize)].CopyTo(y);
    }

    // dy: [batch, 1, steps * features] -> dx: [batch, steps, features] (=)
    protected override void BackwardCore(ReadOnlySpan<float> parameters, ReadOnlySpan<float> x, ReadOnlySpan<float> y,
        ReadOnlySpan<float> dy, Span<float> dx, int batch)
    {
        if (!dx.IsEmpty) dy[..(batch * OutputSize)].CopyTo(dx);
    }

    // no weights
    protected override void AddWeightGradientsCore(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dParameters, int first, int count) { }
}
