using System.Text.Json;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// A Dockerfile of the repository, read as Docker reads its instructions (continuation lines joined, comments
/// dropped), and its final stage.
/// </summary>
internal sealed record Dockerfile(string Path, IReadOnlyList<(string Instruction, string Arguments)> Lines)
{
    public static Dockerfile Read(string relativePath)
    {
        string path = System.IO.Path.Combine(Repository.Root, relativePath);
        var lines = new List<(string, string)>();
        string pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            string line = raw.TrimEnd();
            if (line.TrimStart().StartsWith('#') || line.Length == 0) continue;
            if (line.EndsWith('\\')) { pending += line[..^1] + " "; continue; }
            line = (pending + line).Trim();
            pending = "";
            int space = line.IndexOf(' ');
            lines.Add((line[..space].ToUpperInvariant(), line[(space + 1)..].Trim()));
        }
        return new Dockerfile(relativePath, lines);
    }

    /// <summary>The instructions of the last stage (from its FROM on).</summary>
    public IReadOnlyList<(string Instruction, string Arguments)> FinalStage => Lines.Skip(Lines.ToList().FindLastIndex(l => l.Instruction == "FROM")).ToList();

    /// <summary>X.dll of the final stage's ENTRYPOINT ["dotnet", "X.dll"].</summary>
    public string EntryPointDll
    {
        get
        {
            var entry = FinalStage.Last(l => l.Instruction == "ENTRYPOINT").Arguments;
            var parts = JsonSerializer.Deserialize<string[]>(entry) ?? [];
            if (parts is not ["dotnet", var dll] || !dll.EndsWith(".dll", StringComparison.Ordinal))
                throw new InvalidOperationException($"{Path}: ENTRYPOINT {entry} is not [\"dotnet\", \"X.dll\"]");
            return dll;
        }
    }

    /// <summary>The arguments of the RUN dotnet publish instruction (after "dotnet publish").</summary>
    public string[] PublishArguments
    {
        get
        {
            var run = Lines.Single(l => l.Instruction == "RUN" && l.Arguments.StartsWith("dotnet publish ", StringComparison.Ordinal)).Arguments;
            return run["dotnet publish ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        }
    }
}
