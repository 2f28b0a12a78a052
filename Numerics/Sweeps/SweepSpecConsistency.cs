using System.Globalization;
using RnnCluster.Numerics.Models;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// The checks of a sweep spec's fields against each other, made once every field has been read, in each of its spaces: one model source,
/// what the search needs (a finite grid, a sample count, a non-empty space, epochs above ASHA's first rung), data
/// keys that fit the data, and, for every model the sweep can train, that each key it searches applies to that model
/// (so no trial fails on a combination the spec allowed).
/// </summary>
internal static class SweepSpecConsistency
{
    /// <summary>The keys that change a model's hidden recurrent layers (<see cref="TrialModel"/>).</summary>
    private static readonly SpaceKey[] RecurrentKeys =
        [SpaceKey.UnitsKey, SpaceKey.LayersKey, SpaceKey.CellKey, SpaceKey.DropoutKey, SpaceKey.RecurrentDropoutKey];

    public static void Check(SweepSpec spec)
    {
        for (int i = 0; i < spec.Spaces.Count; i++)
        {
            var space = new Space(spec.Spaces[i], SweepSpec.SpacePath(i, spec.Spaces.Count));
            CheckModelSource(spec, space);
            CheckData(spec, space);
            foreach (string model in Models(spec, space)) CheckModel(spec, space, model);
        }
        CheckSearch(spec);
    }

    /// <summary>One of the spec's spaces and how errors name it ("space" or "space[1]").</summary>
    private sealed record Space(IReadOnlyDictionary<string, Domain> Domains, string Path)
    {
        public string Field(SpaceKey key) => Path + "." + key.Name;
    }

    private static void CheckModelSource(SweepSpec spec, Space space)
    {
        bool searched = space.Domains.ContainsKey(SpaceKey.ModelKey.Name);
        if (spec.Model is null && !searched)
            throw new InvalidInputException(spec.Spaces.Count == 1 ? "model" : space.Field(SpaceKey.ModelKey),
                $"missing: name a catalogue model or search models with {space.Field(SpaceKey.ModelKey)}; allowed: {string.Join(", ", SpaceKey.ModelNames)}");
        if (spec.Model is not null && searched)
            throw new InvalidInputException(space.Field(SpaceKey.ModelKey), $"given with model '{spec.Model}' as well; give the model in one place");
    }

    private static void CheckSearch(SweepSpec spec)
    {
        if (spec.Search == SearchKind.Grid)
        {
            CheckGrid(spec);
            return;
        }
        string search = SweepSpec.SearchName(spec.Search);
        if (spec.Trials is not int trials)
            throw new InvalidInputException("trials", $"missing: search {search} samples this many configurations; allowed 1..{SweepSpec.MaxTrials}");
        if (spec.Space.Count == 0) throw new InvalidInputException("space", "space is empty: nothing to search");
        long total = (long)trials * spec.SeedsPerConfig;
        if (total > SweepSpec.MaxTrials)
            throw new InvalidInputException("trials", $"{trials} configurations x {spec.SeedsPerConfig} seeds per config = {total} trials; allowed at most {SweepSpec.MaxTrials}");
        if (spec.Search == SearchKind.Asha) CheckAsha(spec);
    }

    private static void CheckGrid(SweepSpec spec)
    {
        for (int i = 0; i < spec.Spaces.Count; i++)
            foreach (var key in SpaceKey.All)
                if (spec.Spaces[i].TryGetValue(key.Name, out var domain) && domain.IsContinuous)
                    throw new InvalidInputException(SweepSpec.SpacePath(i, spec.Spaces.Count) + "." + key.Name,
                        $"{domain.Form} is a continuous range, which search grid cannot enumerate; give {{\"values\": [...]}} or use search random");
        // in double: 4 keys of 1000 values would overflow an int, 13 keys of 1000 a long
        double points = spec.Spaces.Sum(space => space.Values.Aggregate(1.0, (product, domain) => product * domain.GridPoints!.Count));
        string grid = spec.Spaces.Count == 1 ? "the grid has" : $"the {spec.Spaces.Count} grids have";
        if (spec.Trials is int cap && points > cap)
            throw new InvalidInputException("trials", $"{grid} {Count(points)} points, more than trials {cap}; raise trials or give fewer values");
        double total = points * spec.SeedsPerConfig;
        if (total > SweepSpec.MaxTrials)
            throw new InvalidInputException("space",
                $"{grid} {Count(points)} points x {spec.SeedsPerConfig} seeds per config = {Count(total)} trials; allowed at most {SweepSpec.MaxTrials}");
    }

    private static void CheckAsha(SweepSpec spec)
    {
        if (!spec.Space.TryGetValue(SpaceKey.EpochsKey.Name, out var epochs))
            throw new InvalidInputException(SpaceKey.EpochsKey.Field, "missing: search asha stops trials at rungs below each trial's epochs; give epochs (fixed or searched)");
        if (spec.Space.ContainsKey(SpaceKey.EarlyStoppingKey.Name))
            throw new InvalidInputException(SpaceKey.EarlyStoppingKey.Field, "given with search asha, which stops trials itself at its rungs; use early_stopping with search grid or random");
        int minEpochs = spec.AshaMinEpochs ?? SweepSpec.DefaultAshaMinEpochs;
        if (minEpochs >= epochs.Largest)
            throw new InvalidInputException("asha.min_epochs", $"{minEpochs} is not below the largest epochs, {Count(epochs.Largest)}; ASHA needs min_epochs < epochs");
    }

    private static void CheckData(SweepSpec spec, Space space)
    {
        foreach (var key in new[] { SpaceKey.WindowKey, SpaceKey.DifferenceKey })
            if (spec.Csv is null && space.Domains.ContainsKey(key.Name))
                throw new InvalidInputException(space.Field(key), $"applies to data.csv only; the chapter's series have 50-step windows and are not differenced");
        if (spec.Window is int window && space.Domains.ContainsKey(SpaceKey.WindowKey.Name))
            throw new InvalidInputException(space.Field(SpaceKey.WindowKey), $"given with data.window {window} as well; give the window in one place");
    }

    private static IEnumerable<string> Models(SweepSpec spec, Space space) =>
        spec.Model is string model ? [model] : space.Domains[SpaceKey.ModelKey.Name].GridPoints!.Select(v => v.Name!);

    private static void CheckModel(SweepSpec spec, Space space, string model)
    {
        var entry = ModelCatalogue.Find(model);
        string modelField = spec.Model is null ? space.Field(SpaceKey.ModelKey) : "model";
        if (spec.Csv is not null) CheckWindows(spec, space, entry);
        if (!entry.AnyHorizon && space.Domains.TryGetValue(SpaceKey.HorizonKey.Name, out var horizons))
            foreach (int horizon in Bounds(horizons))
                if (horizon != entry.Task.Horizon)
                    throw new InvalidInputException(space.Field(SpaceKey.HorizonKey),
                        $"{horizon}: model {model} forecasts {entry.Task.Horizon} step(s) ahead only; use linear, seq2vec-rnn or a sequence model for other horizons");
        if (!RecurrentKeys.Any(k => space.Domains.ContainsKey(k.Name))) return;
        // the most demanding configuration for each cell: the largest values of the keys given
        var cells = space.Domains.TryGetValue(SpaceKey.CellKey.Name, out var cellDomain)
            ? cellDomain.GridPoints!.Select(v => v.Name) : [null];
        foreach (string? cell in cells)
        {
            var probe = new TrialConfig { Cell = cell };
            foreach (var key in RecurrentKeys)
                if (key != SpaceKey.CellKey && space.Domains.TryGetValue(key.Name, out var domain))
                    probe = probe.With(key, SpaceValue.Of(domain.Largest));
            TrialModel.Apply(entry.Spec!, probe, model);
        }
    }

    /// <summary>The values of a discrete integer domain, or the two ends of an int_uniform range.</summary>
    private static IEnumerable<int> Bounds(Domain domain) =>
        domain is IntUniformDomain range ? [range.Low, range.High] : domain.GridPoints!.Select(v => (int)v.Number);

    /// <summary>A model with strided sequence targets (conv-gru) fits only some windows: every window of the space must be one.</summary>
    private static void CheckWindows(SweepSpec spec, Space space, CatalogueEntry entry)
    {
        if (space.Domains.TryGetValue(SpaceKey.WindowKey.Name, out var windows))
        {
            if (windows.GridPoints is null && entry.Task.TargetStride > 1)
                throw new InvalidInputException(space.Field(SpaceKey.WindowKey),
                    $"{windows.Form} is a range, but model {entry.Name} fits only some windows (its targets start at step {entry.Task.TargetStart} with stride {entry.Task.TargetStride} and must end at the window's last step); give {{\"values\": [...]}}");
            foreach (var value in windows.GridPoints ?? [])
                Rethrow(space.Field(SpaceKey.WindowKey), () => entry.Task.ValidateWindow((int)value.Number));
        }
        else if (spec.Window is int window) Rethrow("data.window", () => entry.Task.ValidateWindow(window));
    }

    private static void Rethrow(string field, Action check)
    {
        try
        {
            check();
        }
        catch (InvalidInputException e) when (e.Field != field)
        {
            throw new InvalidInputException(field, e.Message.StartsWith(e.Field + ": ", StringComparison.Ordinal) ? e.Message[(e.Field.Length + 2)..] : e.Message);
        }
    }

    private static string Count(double count) => count.ToString("0", CultureInfo.InvariantCulture);
}
