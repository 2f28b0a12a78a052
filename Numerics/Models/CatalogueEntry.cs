namespace RnnCluster.Numerics.Models;

/// <summary>
/// A model of the catalogue: its name, one line about it, the chapter's validation MSE for it, and its spec
/// (null for the naive forecast, which is not a network).
/// </summary>
public sealed record CatalogueEntry(string Name, string Description, double ChapterValidMse, ModelSpec? Spec);
