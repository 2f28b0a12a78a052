namespace RnnCluster.Client;

/// <summary>How long ago a UTC time was, in the largest whole unit: "12s", "5m", "3h", "2d".</summary>
public static class Age
{
    public static string Since(DateTime utc, DateTime now)
    {
        var age = now - (utc.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(utc, DateTimeKind.Utc) : utc.ToUniversalTime());
        if (age < TimeSpan.Zero) age = TimeSpan.Zero;   // another machine's clock a little ahead
        return age.TotalSeconds < 120 ? $"{(int)age.TotalSeconds}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
