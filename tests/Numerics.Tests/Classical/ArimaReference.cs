using System.Text.Json;
using RnnCluster.Numerics.Classical;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Tests.Classical;

/// <summary>
/// The reference figures of reference/arima-reference.json, made by reference/make_reference.py with Debian's
/// python3-statsmodels 0.13.5: statsmodels.tsa.arima.model.ARIMA(y, order).fit() (exact ML, method 'statespace',
/// trend 'c' for d = 0, none for d = 1), forecasts results.apply(window).forecast(h).
/// </summary>
internal static class ArimaReference
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "arima-reference.json"))));

    public static string Folder => Path.Combine(Repository.Root, "tests", "Numerics.Tests", "Classical", "reference");

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<string> Names => Root.GetProperty("series").EnumerateArray().Select(s => s.GetProperty("name").GetString()!);

    public static TheoryData<string> SeriesNames => [.. Names];

    public static JsonElement Series(string name) =>
        Root.GetProperty("series").EnumerateArray().Single(s => s.GetProperty("name").GetString() == name);

    /// <summary>The series' values, read from the file the fixture names ("path:column", relative to the repository).</summary>
    public static double[] Values(string name)
    {
        string source = Series(name).GetProperty("source").GetString()!;
        int colon = source.LastIndexOf(':');
        return CsvSeries.ReadColumn(Path.Combine(Repository.Root, source[..colon]), source[(colon + 1)..]);
    }

    public static ArimaOrder Order(JsonElement order) => new(order[0].GetInt32(), order[1].GetInt32(), order[2].GetInt32());

    public static double[] Doubles(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetDouble())];

    /// <summary>statsmodels' fit of one order: its parameters as an <see cref="Arima"/>, its log-likelihood and AIC.</summary>
    public static (Arima Model, double Llf, double Aic) Fit(string name, ArimaOrder order)
    {
        var fit = Grid(name, order);
        var constant = fit.GetProperty("const");
        var model = new Arima(order, constant.ValueKind == JsonValueKind.Null ? 0 : constant.GetDouble(),
            Doubles(fit.GetProperty("ar")), Doubles(fit.GetProperty("ma")), fit.GetProperty("sigma2").GetDouble());
        return (model, fit.GetProperty("llf").GetDouble(), fit.GetProperty("aic").GetDouble());
    }

    /// <summary>statsmodels' fit of one order, as stored.</summary>
    public static JsonElement Grid(string name, ArimaOrder order) =>
        Series(name).GetProperty("grid").EnumerateArray().Single(g => Order(g.GetProperty("order")) == order);

    /// <summary>statsmodels' forecasts after given windows: results.apply(y[origin - window .. origin - 1]).forecast(h).</summary>
    public static IEnumerable<(ArimaOrder Order, int Origin, int Window, double[] Forecast)> Forecasts(string name) =>
        Series(name).GetProperty("forecasts").EnumerateArray().Select(f => (Order(f.GetProperty("order")),
            f.GetProperty("origin").GetInt32(), f.GetProperty("window").GetInt32(), Doubles(f.GetProperty("forecast"))));

    public static IEnumerable<ArimaOrder> GridOrders(string name) =>
        Series(name).GetProperty("grid").EnumerateArray().Select(g => Order(g.GetProperty("order")));

    public static int TrainLength(string name) => Series(name).GetProperty("train").GetInt32();
}
