using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// The last 1, 2 or 3 columns of a row of at least 4 (<typeparamref name="TNew"/>), moved as the 128-bit vector of
/// the row's last four: its first lanes overlap columns already done, and a store keeps what memory holds in them, so
/// only the new lanes change. Each new lane starts from its stored value and takes the same operations as in any other
/// vector, so the bits are those of <see cref="Lane"/> one column at a time, in one pass instead of 1 to 3.
/// </summary>
internal readonly struct OverlappedLanes<TNew> : IVectorMemory<V128> where TNew : struct, INewLanes
{
    public static int Count => Vector128<float>.Count;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static V128 Load(ref float source, nint at) => V128.Load(ref source, at);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(V128 value, ref float destination, nint at) =>
        Vector128.ConditionalSelect(TNew.Mask, value.Value, Vector128.LoadUnsafe(ref destination, (nuint)at)).StoreUnsafe(ref destination, (nuint)at);
}

/// <summary>Which lanes of an <see cref="OverlappedLanes{TNew}"/> vector are new: all bits set in those, none in the others.</summary>
internal interface INewLanes { static abstract Vector128<float> Mask { get; } }

/// <summary>Lane 3 is new.</summary>
internal readonly struct NewLane3 : INewLanes
{
    public static Vector128<float> Mask => Vector128.Create(0, 0, 0, -1).AsSingle();
}

/// <summary>Lanes 2 and 3 are new.</summary>
internal readonly struct NewLanes2To3 : INewLanes
{
    public static Vector128<float> Mask => Vector128.Create(0, 0, -1, -1).AsSingle();
}

/// <summary>Lanes 1 to 3 are new.</summary>
internal readonly struct NewLanes1To3 : INewLanes
{
    public static Vector128<float> Mask => Vector128.Create(0, -1, -1, -1).AsSingle();
}
