using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace RnnCluster.Client;

/// <summary>A time as the <c>--json</c> documents write it: ISO 8601 in UTC to the millisecond ("2026-12-05T04:01:58.123Z").</summary>
public sealed class IsoTime : JsonConverter<DateTime>
{
    /// <summary>The time in UTC (one without a kind, as storage gives it back, is taken as UTC).</summary>
    public static string Of(DateTime t) =>
        (t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime())
            .ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTime.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) => writer.WriteStringValue(Of(value));
}
