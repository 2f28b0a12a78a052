using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnCluster.Client;

/// <summary>
/// Writes a double that is not finite (a diverged loss, an overflowed forecast) as null, as JSON has no NaN or
/// infinity; a finite one as ever. Reads null back as NaN.
/// </summary>
public sealed class FiniteOrNull : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? double.NaN : reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value)) writer.WriteNumberValue(value);
        else writer.WriteNullValue();
    }
}
