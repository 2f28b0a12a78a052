using System.Buffers;
using System.Text;
using System.Text.Json;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// Writes a sweep spec as the JSON <see cref="SweepSpecReader"/> reads: every setting written out (defaults too),
/// keys in a fixed order, space keys in <see cref="SpaceKey.All"/>'s order, numbers at round-trip precision.
/// </summary>
internal static class SweepSpecWriter
{
    public static string Write(SweepSpec spec)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (spec.Name is not null) writer.WriteString("name", spec.Name);
            if (spec.Model is not null) writer.WriteString("model", spec.Model);
            WriteData(writer, spec);
            writer.WriteString("metric", spec.Metric);
            writer.WriteString("search", SweepSpec.SearchName(spec.Search));
            if (spec.Trials is int trials) writer.WriteNumber("trials", trials);
            writer.WriteNumber("seeds_per_config", spec.SeedsPerConfig);
            if (spec.MaxConcurrent is int maxConcurrent) writer.WriteNumber("max_concurrent", maxConcurrent);
            writer.WriteNumber("seed", spec.Seed);
            if (spec.Search == SearchKind.Asha)
            {
                writer.WriteStartObject("asha");
                writer.WriteNumber("min_epochs", spec.AshaMinEpochs ?? SweepSpec.DefaultAshaMinEpochs);
                writer.WriteNumber("reduction_factor", spec.AshaReductionFactor ?? SweepSpec.DefaultAshaReductionFactor);
                writer.WriteEndObject();
            }
            writer.WritePropertyName("space");
            if (spec.Spaces.Count > 1) writer.WriteStartArray();
            foreach (var space in spec.Spaces)
            {
                writer.WriteStartObject();
                foreach (var key in SpaceKey.All)
                    if (space.TryGetValue(key.Name, out var domain))
                    {
                        writer.WritePropertyName(key.Name);
                        WriteDomain(writer, key, domain);
                    }
                writer.WriteEndObject();
            }
            if (spec.Spaces.Count > 1) writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteData(Utf8JsonWriter writer, SweepSpec spec)
    {
        writer.WriteStartObject("data");
        if (spec.Csv is null) writer.WriteNumber("data_seed", spec.DataSeed);
        else
        {
            writer.WriteString("csv", spec.Csv);
            writer.WriteString("column", spec.Column);
            if (spec.Window is int window) writer.WriteNumber("window", window);
            if (spec.Season is int season) writer.WriteNumber("season", season);
            if (spec.MovingAverageLength is int wma) writer.WriteNumber("wma", wma);
            if (spec.Arima is string arima) writer.WriteString("arima", arima);
        }
        writer.WriteEndObject();
    }

    private static void WriteDomain(Utf8JsonWriter writer, SpaceKey key, Domain domain)
    {
        if (domain is FixedDomain fixedValue)
        {
            WriteValue(writer, key, fixedValue.Value);
            return;
        }
        writer.WriteStartObject();
        writer.WriteStartArray(domain.Form);
        switch (domain)
        {
            case ValuesDomain values:
                foreach (var value in values.Values) WriteValue(writer, key, value);
                break;
            case UniformDomain uniform:
                writer.WriteNumberValue(uniform.Low);
                writer.WriteNumberValue(uniform.High);
                break;
            case LogUniformDomain logUniform:
                writer.WriteNumberValue(logUniform.Low);
                writer.WriteNumberValue(logUniform.High);
                break;
            case IntUniformDomain intUniform:
                writer.WriteNumberValue(intUniform.Low);
                writer.WriteNumberValue(intUniform.High);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(domain), domain.Form, "not a domain the spec can write");
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, SpaceKey key, SpaceValue value)
    {
        if (key.Kind == SpaceValueKind.Name) writer.WriteStringValue(value.Name);
        else if (key.Kind == SpaceValueKind.Integer) writer.WriteNumberValue((long)value.Number);
        else writer.WriteNumberValue(value.Number);
    }
}
