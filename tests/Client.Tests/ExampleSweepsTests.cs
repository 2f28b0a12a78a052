using RnnCluster.Grains;
using RnnCluster.Grains.Sweeps;
using RnnCluster.Numerics.Sweeps;

namespace RnnCluster.Client.Tests;

/// <summary>
/// Every sweep spec under examples/ is one a fresh clone can run: it reads (its CSV from the repository), and every
/// trial's job and every data split's baseline job pass the checks the cluster makes before anything starts.
/// </summary>
public class ExampleSweepsTests
{
    public static TheoryData<string> Specs()
    {
        var specs = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(Repository.Root, "examples"), "*.sweep.json").Order()) specs.Add(Path.GetFileName(path));
        return specs;
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void An_example_sweep_is_valid_down_to_every_trials_job(string name)
    {
        var file = SweepSpecFile.Read(Path.Combine(Repository.Root, "examples", name));
        var data = file.ToData();
        var trials = SweepPlan.Trials(file.Spec);

        var jobs = trials.Select(t => TrialJobs.Spec(file.Spec, data, t)).ToList();
        foreach (var job in jobs) JobPlan.From(job);
        foreach (var split in jobs.GroupBy(TrialJobs.SplitKey).Select(g => g.First())) JobPlan.From(TrialJobs.Baseline(split, file.Spec));
        Assert.NotEmpty(jobs);
    }
}
