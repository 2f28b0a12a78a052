using System.CommandLine;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Client;

/// <summary><c>rnncluster models</c>: the catalogue, one line a model.</summary>
public static class ModelsCommand
{
    public static Command Create(TextWriter output)
    {
        var command = new Command("models", "List the models that train --model accepts.");
        command.SetAction(_ =>
        {
            int width = ModelCatalogue.All.Max(e => e.Name.Length);
            foreach (var entry in ModelCatalogue.All)
                output.WriteLine($"{entry.Name.PadRight(width)}  {entry.Description}{(entry.ChapterValidMse is double f ? $" (chapter: {f:0.000})" : "")}");
            return 0;
        });
        return command;
    }
}
