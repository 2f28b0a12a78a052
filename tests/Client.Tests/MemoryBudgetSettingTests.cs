namespace RnnCluster.Client.Tests;

/// <summary>
/// A silo's memory budget for the jobs' networks (RnnCluster:Jobs:MemoryBudget): a value that is not a positive number
/// of bytes stops the silo at start with one line naming it; a good one is what its gauge reports from the start.
/// </summary>
public class MemoryBudgetSettingTests
{
    [Theory]
    [InlineData("abc", "Failed to convert configuration value 'abc' at 'RnnCluster:Jobs:MemoryBudget'")]
    [InlineData("0", "RnnCluster:Jobs:MemoryBudget must be a positive number of bytes")]
    public void A_budget_that_is_not_a_positive_number_of_bytes_stops_the_silo_with_one_line_naming_it(string value, string says)
    {
        using var silo = SiloProcess.StartLocal($"budget-{Guid.NewGuid():N}"[..20], $"--RnnCluster:Jobs:MemoryBudget={value}");
        Assert.True(silo.WaitForExit(TimeSpan.FromSeconds(60)), $"still running after 60 s:\n{silo.Log}");
        Assert.True(silo.ExitCode == 2, $"exit code {silo.ExitCode}:\n{silo.Log}");
        string error = Assert.Single(silo.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.Contains(says, error);
        Assert.DoesNotContain("   at ", silo.Log);
    }

    [Fact]
    public async Task The_budget_given_is_the_silos_gauge_from_its_start()
    {
        using var silo = await SiloProcess.StartHealthyAsync($"budget-{Guid.NewGuid():N}"[..20], TimeSpan.FromSeconds(90), "--RnnCluster:Jobs:MemoryBudget=50000000");
        using var http = new HttpClient();
        string metrics = await http.GetStringAsync(silo.MetricsUrl);
        Assert.Contains("\nrnncluster_memory_budget_bytes 50000000", "\n" + string.Join('\n', metrics.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"\{[^}]*\}", ""))));
        Assert.Contains("rnncluster_memory_held_bytes", metrics);
    }
}
