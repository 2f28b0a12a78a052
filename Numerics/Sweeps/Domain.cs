namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// The values a space key can take in a sweep: one fixed value, a list of values, or a continuous range
/// (uniform, log-uniform, or uniform over whole numbers). <see cref="Sample"/> maps a uniform draw u in [0, 1) to a
/// value; <see cref="GridPoints"/> lists a grid's values (null for the continuous ranges, which a grid cannot use).
/// <see cref="SweepSpec.FromJson"/> checks a domain's values against its key; one made directly is not checked.
/// </summary>
public abstract record Domain
{
    /// <summary>The JSON form: "fixed" (a plain value), "values", "uniform", "log_uniform" or "int_uniform".</summary>
    public abstract string Form { get; }

    /// <summary>The values in the given order for a grid; null for a continuous range.</summary>
    public abstract IReadOnlyList<SpaceValue>? GridPoints { get; }

    /// <summary>The value for a uniform draw <paramref name="u"/> in [0, 1).</summary>
    public abstract SpaceValue Sample(double u);

    /// <summary>The largest number the domain can give, or a bound of it (a continuous range's high); 0 for names.</summary>
    public abstract double Largest { get; }

    /// <summary>Whether this is a continuous range (uniform, log_uniform, int_uniform).</summary>
    public bool IsContinuous => GridPoints is null;

    /// <summary>The element of a list for a draw u: floor(u * count), kept inside the list.</summary>
    protected static SpaceValue Pick(IReadOnlyList<SpaceValue> values, double u) =>
        values[Math.Clamp((int)Math.Floor(u * values.Count), 0, values.Count - 1)];
}

/// <summary>One value for every trial (a plain JSON number or string in the space).</summary>
public sealed record FixedDomain(SpaceValue Value) : Domain
{
    public override string Form => "fixed";
    public override IReadOnlyList<SpaceValue> GridPoints => [Value];
    public override SpaceValue Sample(double u) => Value;
    public override double Largest => Value.Number;
}

/// <summary>{"values": [...]}: one of the listed values (no duplicates), each equally likely.</summary>
public sealed record ValuesDomain(IReadOnlyList<SpaceValue> Values) : Domain
{
    public override string Form => "values";
    public override IReadOnlyList<SpaceValue> GridPoints => Values;
    public override SpaceValue Sample(double u) => Pick(Values, u);
    public override double Largest => Values.Max(v => v.Number);

    public bool Equals(ValuesDomain? other) => other is not null && Values.SequenceEqual(other.Values);

    public override int GetHashCode() => Values.Aggregate(0, (h, v) => HashCode.Combine(h, v));
}

/// <summary>{"uniform": [low, high]}: low + u * (high - low), for a real key.</summary>
public sealed record UniformDomain(double Low, double High) : Domain
{
    public override string Form => "uniform";
    public override IReadOnlyList<SpaceValue>? GridPoints => null;
    public override SpaceValue Sample(double u) => SpaceValue.Of(Math.Clamp(Low + u * (High - Low), Low, High));
    public override double Largest => High;
}

/// <summary>{"log_uniform": [low, high]}, 0 &lt; low &lt; high: exp(ln low + u * (ln high - ln low)), for a real key.</summary>
public sealed record LogUniformDomain(double Low, double High) : Domain
{
    public override string Form => "log_uniform";
    public override IReadOnlyList<SpaceValue>? GridPoints => null;

    public override SpaceValue Sample(double u)
    {
        double logLow = Math.Log(Low);
        return SpaceValue.Of(Math.Clamp(Math.Exp(logLow + u * (Math.Log(High) - logLow)), Low, High));
    }

    public override double Largest => High;
}

/// <summary>{"int_uniform": [low, high]}, low &lt;= high: low + floor(u * (high - low + 1)), for an integer key.</summary>
public sealed record IntUniformDomain(int Low, int High) : Domain
{
    public override string Form => "int_uniform";
    public override IReadOnlyList<SpaceValue>? GridPoints => null;

    public override SpaceValue Sample(double u) =>
        SpaceValue.Of(Math.Clamp(Low + (long)Math.Floor(u * ((long)High - Low + 1)), Low, High));

    public override double Largest => High;
}
