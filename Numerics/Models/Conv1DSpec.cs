using System.Text.Json.Serialization;
using RnnCluster.Numerics.Layers;

namespace RnnCluster.Numerics.Models;

/// <summary>
/// Conv1D(filters, kernel_size, strides, padding, dilation_rate, activation), as Keras's Conv1D.
/// Padding "valid" or "causal"; activation "linear", "relu" or "tanh".
/// </summary>
public sealed record Conv1DSpec(int Filters, int KernelSize, int Strides = 1, string Padding = "valid", int DilationRate = 1,
    string Activation = "linear") : LayerSpec
{
    public const int MaxKernelSize = 64;
    public const int MaxStrides = 64;
    public const int MaxDilationRate = 512;

    [JsonIgnore]
    public override string Kind => "conv1d";

    public override void Validate(string field)
    {
        if (Filters < 1 || Filters > ModelSpec.MaxUnits)
            throw new InvalidInputException(field, $"filters is {Filters}; allowed 1..{ModelSpec.MaxUnits}");
        if (KernelSize < 1 || KernelSize > MaxKernelSize)
            throw new InvalidInputException(field, $"kernel_size is {KernelSize}; allowed 1..{MaxKernelSize}");
        if (Strides < 1 || Strides > MaxStrides)
            throw new InvalidInputException(field, $"strides is {Strides}; allowed 1..{MaxStrides}");
        if (DilationRate < 1 || DilationRate > MaxDilationRate)
            throw new InvalidInputException(field, $"dilation_rate is {DilationRate}; allowed 1..{MaxDilationRate}");
        if (Padding is null || !Conv1D.Paddings.Contains(Padding))
            throw new InvalidInputException(field, $"padding is '{Padding}'; allowed {string.Join(", ", Conv1D.Paddings.Select(p => $"'{p}'"))}");
        if (Activation is null || !Conv1D.Activations.Contains(Activation))
            throw new InvalidInputException(field, $"activation is '{Activation}'; allowed {string.Join(", ", Conv1D.Activations.Select(a => $"'{a}'"))}");
    }

    /// <summary>Throws <see cref="InvalidInputException"/> naming kernel_size when the input is too short for the kernel.</summary>
    public override Layer Build(string name, int maxBatch, int steps, int features) =>
        new Conv1D(name, maxBatch, steps, features, Filters, KernelSize, Strides, Padding, DilationRate, Activation);

    public override (int Steps, int Features, long Parameters) Shape(int steps, int features) =>
        (Layers.Conv1D.OutputLength(steps, KernelSize, Strides, DilationRate, Padding), Filters, (long)KernelSize * features * Filters + Filters);

    public override long BufferFloats(int maxBatch, int steps, int features) =>
        Layers.Conv1D.BufferFloats(maxBatch, steps, features, Filters, KernelSize, Strides, Padding, DilationRate, Activation);
}
