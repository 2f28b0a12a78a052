namespace RnnCluster.Numerics.Tests.Data;

/// <summary>The real data files next to the repository: <c>&lt;folder holding RnnCluster.sln&gt;/../shared/data/</c>.</summary>
internal static class SharedData
{
    public static string SeattleWeather => PathOf("seattle-weather.csv");

    public static string Co2Concentration => PathOf("co2-concentration.csv");

    public static string PathOf(string fileName)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "RnnCluster.sln")))
            directory = directory.Parent;
        if (directory is null)
            throw new InvalidOperationException($"RnnCluster.sln not found above {AppContext.BaseDirectory}");
        string path = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "data", fileName));
        if (!File.Exists(path))
            throw new InvalidOperationException($"shared data file {path} not found");
        return path;
    }
}
