namespace RnnCluster.Numerics.Tests.Data;

/// <summary>The real data files of the repository: <c>examples/data/</c> (their source and licence are in its README).</summary>
internal static class ExampleData
{
    public static string SeattleWeather => PathOf("seattle-weather.csv");

    public static string Co2Concentration => PathOf("co2-concentration.csv");

    public static string PathOf(string fileName) => Repository.ExampleData(fileName);
}
