namespace RnnCluster.Grains;

/// <summary>A job's network would go past its silo's <see cref="MemoryBudget"/>; nothing was allocated.</summary>
public sealed class MemoryBudgetException(string message) : Exception(message);
