namespace RnnCluster.Numerics.Tests;

/// <summary>
/// MethodImpl has one spelling in the repository: <c>using System.Runtime.CompilerServices;</c> at the top and
/// <c>[MethodImpl(MethodImplOptions.X)]</c> on the method, never the namespace written out in the attribute. The
/// analyzers' name simplification (IDE0001) runs in the editor only, so this test keeps it in the build's checks.
/// </summary>
public class MethodImplSpellingTests
{
    private const string Using = "using System.Runtime.CompilerServices;";

    [Fact]
    public void Every_MethodImpl_is_spelled_short_under_its_using()
    {
        // the long form, split so that this file does not contain it
        string longForm = "System.Runtime.CompilerServices" + ".MethodImpl";
        var files = Directory.GetFiles(Repository.Root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .ToList();
        Assert.Contains(files, f => File.ReadAllText(f).Contains("[MethodImpl(MethodImplOptions.", StringComparison.Ordinal));

        var wrong = new List<string>();
        foreach (var file in files)
        {
            string text = File.ReadAllText(file);
            string name = Path.GetRelativePath(Repository.Root, file);
            if (text.Contains(longForm, StringComparison.Ordinal))
                wrong.Add($"{name}: spells the namespace out in the attribute");
            else if (text.Contains("[MethodImpl(", StringComparison.Ordinal) && !text.Contains(Using, StringComparison.Ordinal))
                wrong.Add($"{name}: [MethodImpl(..)] without {Using}");
        }
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }
}
