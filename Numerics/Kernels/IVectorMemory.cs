namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// How a kernel loop moves <typeparamref name="TVector"/>s to and from memory: <see cref="Count"/> floats at a time
/// (<see cref="V512"/>, <see cref="V256"/>, <see cref="V128"/>: a whole vector), or one (<see cref="Lane"/>: lane 0 of
/// a <see cref="V128"/>, for the remainder), so the remainder runs the same code as the vectors.
/// </summary>
public interface IVectorMemory<TVector> where TVector : struct, IVector<TVector>
{
    static abstract int Count { get; }
    static abstract TVector Load(ref float source, nint at);
    static abstract void Store(TVector value, ref float destination, nint at);
}
