namespace RnnCluster.Numerics.Layers;

/// <summary>One named weight tensor of a layer in Keras's layout (row-major), e.g. <c>kernel [in, units]</c>.</summary>
public sealed record ParameterShape(string Name, int[] Shape)
{
    public int Size
    {
        get
        {
            int size = 1;
            foreach (int d in Shape) size *= d;
            return size;
        }
    }

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
