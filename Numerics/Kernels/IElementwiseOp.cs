namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The body of an element-wise kernel: reads its inputs at element <c>at</c> with <c>TMemory</c>
/// (a whole vector, or one lane), computes with <c>TVector</c>'s lane-wise operations, and stores its
/// outputs at the same element. A ref struct holding the kernel's span starts; <see cref="Elementwise.Run"/> loops it.
/// </summary>
public interface IElementwiseOp
{
    void Apply<TMemory, TVector>(nint at) where TMemory : IVectorMemory<TVector> where TVector : struct, IVector<TVector>;
}
