namespace RnnCluster.Numerics.Kernels;

/// <summary>
/// A vector of floats of one width (<see cref="V512"/>, <see cref="V256"/>, <see cref="V128"/>) with the lane-wise
/// IEEE operations the kernels are written with: each kernel is one loop generic over this, as
/// System.Numerics.Tensors' TensorPrimitives builds its operators. Every operation is exact per lane (add, subtract,
/// multiply, divide, fused multiply-add, square root, min, max, abs, compare and select), so a lane's bits never depend on the
/// width; there are no horizontal operations.
/// </summary>
public interface IVector<TSelf> where TSelf : struct, IVector<TSelf>
{
    static abstract TSelf Broadcast(float value);
    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a);

    /// <summary>a * b + c rounded once.</summary>
    static abstract TSelf FusedMultiplyAdd(TSelf a, TSelf b, TSelf c);
    /// <summary>
    /// The hardware's min and max (x86 minps/maxps: b where either is NaN or both are zero; Arm64 fmin/fmax): with a
    /// constant other than zero as a and the value that may be NaN as b they give the IEEE result, as one instruction.
    /// </summary>
    static abstract TSelf Min(TSelf a, TSelf b);

    /// <inheritdoc cref="Min"/>
    static abstract TSelf Max(TSelf a, TSelf b);
    static abstract TSelf Abs(TSelf a);

    /// <summary>The square root, correctly rounded (IEEE).</summary>
    static abstract TSelf Sqrt(TSelf a);
    /// <summary>Per lane: a &lt; b ? ifTrue : ifFalse (one compare into a mask register and one blend).</summary>
    static abstract TSelf WhereLessThan(TSelf a, TSelf b, TSelf ifTrue, TSelf ifFalse);

    /// <summary>Per lane: a &gt; b ? ifTrue : ifFalse.</summary>
    static abstract TSelf WhereGreaterThan(TSelf a, TSelf b, TSelf ifTrue, TSelf ifFalse);
}
