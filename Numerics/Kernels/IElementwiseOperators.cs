namespace RnnCluster.Numerics.Kernels;

// The math of the element-wise kernels with one output, as TensorPrimitives' IUnaryOperator, IBinaryOperator and
// ITernaryOperator: one width-generic Invoke per operator struct (which may carry scalars), looped over spans by
// Elementwise.Map. Kernels with several outputs write an IElementwiseOp instead.

/// <summary>destination = f(x), lane by lane.</summary>
public interface IUnaryOperator
{
    TV Invoke<TV>(TV x) where TV : struct, IVector<TV>;
}

/// <summary>destination = f(x, y), lane by lane.</summary>
public interface IBinaryOperator
{
    TV Invoke<TV>(TV x, TV y) where TV : struct, IVector<TV>;
}

/// <summary>destination = f(x, y, z), lane by lane.</summary>
public interface ITernaryOperator
{
    TV Invoke<TV>(TV x, TV y, TV z) where TV : struct, IVector<TV>;
}
