namespace RnnCluster.Numerics.Tests.Data;

/// <summary>The real data files next to the repository: <c>&lt;folder holding RnnCluster.sln&gt;/../shared/data/</c>.</summary>
internal static class SharedData
{
    public static string SeattleWeather => PathOf("seattle-weather.csv");

    public static string Co2Concentration => PathOf("co2-concentration.csv");

    public static string PathOf(string fileName) => Repository.SharedData(fileName);
}
