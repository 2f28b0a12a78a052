using System.Text.Json;
using RnnCluster.Numerics.Data;

namespace RnnCluster.Numerics.Sweeps;

/// <summary>
/// Reads a sweep spec's JSON (comments allowed) field by field, checking each field's type and range as it goes;
/// <see cref="SweepSpecConsistency"/> then checks the fields against each other. Every problem throws
/// <see cref="InvalidInputException"/> with the JSON path as the field and the value given in the message.
/// </summary>
internal static class SweepSpecReader
{
    private static readonly string[] TopLevelKeys =
        ["name", "model", "data", "metric", "search", "trials", "seeds_per_config", "max_concurrent", "seed", "asha", "space"];
    private static readonly string[] DataKeys = ["data_seed", "csv", "column", "window", "season", "wma", "arima"];
    private static readonly string[] AshaKeys = ["min_epochs", "reduction_factor"];
    private static readonly string[] DomainForms = ["values", "uniform", "log_uniform", "int_uniform"];
    private const string DomainFormsText =
        """a plain value or one of {"values": [...]}, {"uniform": [low, high]}, {"log_uniform": [low, high]}, {"int_uniform": [low, high]}""";

    public static SweepSpec Read(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new InvalidInputException(SweepSpec.DocumentField, "empty; expected a JSON object");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new InvalidInputException(SweepSpec.DocumentField, $"not valid JSON: {e.Message}");
        }
        using (document)
        {
            var spec = ReadSpec(document.RootElement);
            SweepSpecConsistency.Check(spec);
            return spec;
        }
    }

    private static SweepSpec ReadSpec(JsonElement root)
    {
        var top = Members(root, null, TopLevelKeys, nullIsAbsent: true);
        var search = top.TryGetValue("search", out var e) ? ReadSearch(e) : SearchKind.Grid;
        if (top.TryGetValue("asha", out _) && search != SearchKind.Asha)
            throw new InvalidInputException("asha", $"given with search {SweepSpec.SearchName(search)}; the asha section goes with search asha only");
        var asha = search == SearchKind.Asha && top.TryGetValue("asha", out e) ? Members(e, "asha", AshaKeys, nullIsAbsent: true) : [];
        var data = top.TryGetValue("data", out e) ? Members(e, "data", DataKeys, nullIsAbsent: true) : [];
        var (dataSeed, csv, column, window) = ReadData(data);
        var (season, wma, arima) = ReadClassical(data, csv);
        return new SweepSpec
        {
            Name = top.TryGetValue("name", out e) ? ReadName(e) : null,
            Model = top.TryGetValue("model", out e) ? ReadValue(SpaceKey.ModelKey, e, "model").Name : null,
            DataSeed = dataSeed,
            Csv = csv,
            Column = column,
            Window = window,
            Season = season,
            MovingAverageLength = wma,
            Arima = arima,
            Metric = top.TryGetValue("metric", out e) ? ReadChoice(e, "metric", SweepSpec.Metrics) : SweepSpec.ValidMse,
            Search = search,
            Trials = top.TryGetValue("trials", out e) ? (int)ReadInteger(e, "trials", 1, SweepSpec.MaxTrials) : null,
            SeedsPerConfig = top.TryGetValue("seeds_per_config", out e) ? (int)ReadInteger(e, "seeds_per_config", 1, SweepSpec.MaxSeedsPerConfig) : 1,
            MaxConcurrent = top.TryGetValue("max_concurrent", out e) ? (int)ReadInteger(e, "max_concurrent", 1, SweepSpec.MaxConcurrentLimit) : null,
            Seed = top.TryGetValue("seed", out e) ? (uint)ReadInteger(e, "seed", 0, uint.MaxValue) : SweepSpec.DefaultSeed,
            AshaMinEpochs = search != SearchKind.Asha ? null
                : asha.TryGetValue("min_epochs", out e) ? (int)ReadInteger(e, "asha.min_epochs", 1, SweepSpec.MaxAshaMinEpochs) : SweepSpec.DefaultAshaMinEpochs,
            AshaReductionFactor = search != SearchKind.Asha ? null
                : asha.TryGetValue("reduction_factor", out e)
                    ? (int)ReadInteger(e, "asha.reduction_factor", SweepSpec.MinAshaReductionFactor, SweepSpec.MaxAshaReductionFactor)
                    : SweepSpec.DefaultAshaReductionFactor,
            Spaces = top.TryGetValue("space", out e) ? ReadSpaces(e, search) : [new Dictionary<string, Domain>()],
        };
    }

    private static SearchKind ReadSearch(JsonElement e)
    {
        var kinds = Enum.GetValues<SearchKind>();
        string name = ReadChoice(e, "search", [.. kinds.Select(SweepSpec.SearchName)]);
        return kinds.First(k => SweepSpec.SearchName(k) == name);
    }

    private static (int DataSeed, string? Csv, string? Column, int? Window) ReadData(Dictionary<string, JsonElement> data)
    {
        int dataSeed = data.TryGetValue("data_seed", out var e) ? (int)ReadInteger(e, "data.data_seed", 0, int.MaxValue) : ChapterSeries.DefaultSeed;
        string? csv = data.TryGetValue("csv", out e) ? ReadText(e, "data.csv") : null;
        string? column = data.TryGetValue("column", out e) ? ReadText(e, "data.column") : null;
        int? window = data.TryGetValue("window", out e) ? (int)ReadInteger(e, "data.window", 1, SeriesWindows.MaxWindow) : null;
        if (csv is null)
        {
            if (column is not null) throw new InvalidInputException("data.column", $"'{column}' given without data.csv; it names a column of the csv file");
            if (window is not null) throw new InvalidInputException("data.window", $"{window} given without data.csv; the chapter's series have 50-step windows");
        }
        else
        {
            if (data.ContainsKey("data_seed"))
                throw new InvalidInputException("data.data_seed", $"{dataSeed} given with data.csv; it seeds the chapter's series: give data_seed or csv, not both");
            if (column is null) throw new InvalidInputException("data.column", "missing: data.csv needs the column to forecast");
        }
        return (dataSeed, csv, column, window);
    }

    // the classical baselines' settings, with a csv only (the chapter's data are 10,000 separate short series)
    private static (int? Season, int? Wma, string? Arima) ReadClassical(Dictionary<string, JsonElement> data, string? csv)
    {
        int? season = data.TryGetValue("season", out var e) ? (int)ReadInteger(e, "data.season", 1, SweepSpec.MaxSeason) : null;
        int? wma = data.TryGetValue("wma", out e) ? (int)ReadInteger(e, "data.wma", 1, SeriesWindows.MaxWindow) : null;
        string? arima = data.TryGetValue("arima", out e) ? ReadText(e, "data.arima") : null;
        if (arima is not null) Classical.ArimaOrder.Parse(arima, "data.arima");
        if (csv is null)
            foreach (var (key, given) in new[] { ("season", season is not null), ("wma", wma is not null), ("arima", arima is not null) })
                if (given) throw new InvalidInputException($"data.{key}", "given without data.csv; the classical baselines apply to a csv series (the chapter's data are 10,000 separate series of 50 steps)");
        return (season, wma, arima);
    }

    // one space (an object), or with search grid a list of spaces whose grids are enumerated one after another
    private static List<IReadOnlyDictionary<string, Domain>> ReadSpaces(JsonElement e, SearchKind search)
    {
        if (e.ValueKind != JsonValueKind.Array) return [ReadSpace(e, "space")];
        if (search != SearchKind.Grid)
            throw new InvalidInputException("space", $"a list of spaces (a union of grids) goes with search grid only; search {SweepSpec.SearchName(search)} samples one space: give an object");
        int count = e.GetArrayLength();
        if (count < 1 || count > SweepSpec.MaxSpaces)
            throw new InvalidInputException("space", $"a list of {count} spaces; allowed 1..{SweepSpec.MaxSpaces}");
        return [.. e.EnumerateArray().Select((space, i) => ReadSpace(space, SweepSpec.SpacePath(i, count)))];
    }

    private static Dictionary<string, Domain> ReadSpace(JsonElement e, string path)
    {
        var members = Members(e, path, [.. SpaceKey.All.Select(k => k.Name)], nullIsAbsent: false);
        var space = new Dictionary<string, Domain>();
        foreach (var key in SpaceKey.All)
            if (members.TryGetValue(key.Name, out var value)) space.Add(key.Name, ReadDomain(key, value, Path(path, key.Name)));
        return space;
    }

    private static Domain ReadDomain(SpaceKey key, JsonElement e, string field)
    {
        if (e.ValueKind is JsonValueKind.Number or JsonValueKind.String) return new FixedDomain(ReadValue(key, e, field));
        if (e.ValueKind != JsonValueKind.Object) throw new InvalidInputException(field, $"expected {DomainFormsText}; got {Show(e)}");
        var properties = e.EnumerateObject().ToList();
        if (properties.Count != 1 || !DomainForms.Contains(properties[0].Name))
            throw new InvalidInputException(field, $"expected {DomainFormsText}; got {(properties.Count == 0 ? "an empty object" : "keys " + string.Join(", ", properties.Select(p => p.Name)))}");
        var (form, value) = (properties[0].Name, properties[0].Value);
        if (form == "values") return ReadValues(key, value, field);
        var (low, high) = ReadRange(key, form, value, field);
        return form switch
        {
            "uniform" => new UniformDomain(low, high),
            "log_uniform" => new LogUniformDomain(low, high),
            _ => new IntUniformDomain((int)low, (int)high),
        };
    }

    private static ValuesDomain ReadValues(SpaceKey key, JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.Array) throw new InvalidInputException(field, $"values must be a list; got {Show(e)}");
        int count = e.GetArrayLength();
        if (count < 1 || count > SweepSpec.MaxValues)
            throw new InvalidInputException(field, $"values has {count} items; allowed 1..{SweepSpec.MaxValues}");
        var values = new List<SpaceValue>(count);
        foreach (var item in e.EnumerateArray())
        {
            var value = ReadValue(key, item, field);
            if (values.Any(v => Same(key, v, value)))
                throw new InvalidInputException(field, $"duplicate value {Show(item)} in values {Show(e)}; list each value once");
            values.Add(value);
        }
        return new ValuesDomain(values);
    }

    // Real keys compare as the float a trial gets: 0.1 and 0.1000000001 would train the same configuration twice.
    private static bool Same(SpaceKey key, SpaceValue a, SpaceValue b) =>
        key.Kind == SpaceValueKind.Real ? (float)a.Number == (float)b.Number : a == b;

    private static (double Low, double High) ReadRange(SpaceKey key, string form, JsonElement e, string field)
    {
        if (key.Kind == SpaceValueKind.Name)
            throw new InvalidInputException(field, $"{form} draws numbers; {key.Name} takes a name or {{\"values\": [...]}} of names ({key.Allowed})");
        if (form == "int_uniform" && key.Kind != SpaceValueKind.Integer)
            throw new InvalidInputException(field, $"int_uniform draws whole numbers; {key.Name} takes real numbers: use uniform or log_uniform");
        if (form != "int_uniform" && key.Kind == SpaceValueKind.Integer)
            throw new InvalidInputException(field, $"{form} draws real numbers; {key.Name} takes whole numbers: use int_uniform or values");
        string given = Show(e);
        if (e.ValueKind != JsonValueKind.Array || e.GetArrayLength() != 2 || e.EnumerateArray().Any(i => i.ValueKind != JsonValueKind.Number))
            throw new InvalidInputException(field, $"{form} needs two numbers [low, high]; got {given}");
        if (!e[0].TryGetDouble(out double low) || !e[1].TryGetDouble(out double high))
            throw new InvalidInputException(field, $"{form} bounds {given} are out of range; allowed {key.Allowed}");
        bool ordered = form switch
        {
            "uniform" => low < high,
            "log_uniform" => low > 0 && low < high,
            _ => low == Math.Floor(low) && high == Math.Floor(high) && low <= high,
        };
        if (!ordered)
        {
            string rule = form switch
            {
                "uniform" => "low < high",
                "log_uniform" => "0 < low < high",
                _ => "whole numbers low <= high",
            };
            throw new InvalidInputException(field, $"{form} needs {rule}; got {given}");
        }
        if (!key.Allows(low) || !key.Allows(high))
            throw new InvalidInputException(field, $"{form} bounds {given} are out of range; allowed {key.Allowed}");
        return (low, high);
    }

    /// <summary>One value of <paramref name="key"/>: a name it allows or a number in its range.</summary>
    private static SpaceValue ReadValue(SpaceKey key, JsonElement e, string field)
    {
        switch (key.Kind)
        {
            case SpaceValueKind.Name:
                if (e.ValueKind != JsonValueKind.String) throw new InvalidInputException(field, $"expected a name, {key.Allowed}; got {Show(e)}");
                string name = e.GetString()!;
                if (key == SpaceKey.ModelKey && name == "naive")
                    throw new InvalidInputException(field, $"'naive' does not train (it repeats the last value); allowed: {string.Join(", ", key.Names)}");
                if (!key.Names.Contains(name))
                    throw new InvalidInputException(field, $"unknown {key.Name} '{name}'; allowed: {string.Join(", ", key.Names)}");
                return SpaceValue.Of(name);
            case SpaceValueKind.Integer:
                return SpaceValue.Of(ReadInteger(e, field, (long)key.Min, (long)key.Max));
            default:
                if (e.ValueKind != JsonValueKind.Number) throw new InvalidInputException(field, $"expected a number, {key.Allowed}; got {Show(e)}");
                if (!e.TryGetDouble(out double value) || !key.Allows(value))
                    throw new InvalidInputException(field, $"{Show(e)} is out of range; allowed {key.Allowed}");
                return SpaceValue.Of(value);
        }
    }

    private static long ReadInteger(JsonElement e, string field, long min, long max)
    {
        if (e.ValueKind != JsonValueKind.Number) throw new InvalidInputException(field, $"expected a whole number {min}..{max}; got {Show(e)}");
        if (!e.TryGetDouble(out double value) || value < min || value > max)
            throw new InvalidInputException(field, $"{Show(e)} is out of range; allowed {min}..{max}");
        if (value != Math.Floor(value)) throw new InvalidInputException(field, $"{Show(e)} is not a whole number; allowed {min}..{max}");
        return (long)value;
    }

    private static string ReadText(JsonElement e, string field)
    {
        if (e.ValueKind != JsonValueKind.String || e.GetString() is not { Length: > 0 } text)
            throw new InvalidInputException(field, $"expected a non-empty string; got {Show(e)}");
        return text;
    }

    private static string ReadChoice(JsonElement e, string field, IReadOnlyList<string> allowed)
    {
        if (e.ValueKind != JsonValueKind.String || !allowed.Contains(e.GetString()!))
            throw new InvalidInputException(field, $"{Show(e)} is not known; allowed: {string.Join(", ", allowed)}");
        return e.GetString()!;
    }

    private static string ReadName(JsonElement e)
    {
        string name = e.ValueKind == JsonValueKind.String ? e.GetString()! : "";
        if (name.Length < 1 || name.Length > SweepSpec.MaxNameLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new InvalidInputException("name", $"{Show(e)} is not allowed; a name has 1..{SweepSpec.MaxNameLength} characters from A-Z, a-z, 0-9, '.', '_', '-'");
        return name;
    }

    /// <summary>
    /// The members of an object by name; a member not in <paramref name="allowed"/> or given twice throws, naming it.
    /// With <paramref name="nullIsAbsent"/> a null member counts as not given.
    /// </summary>
    private static Dictionary<string, JsonElement> Members(JsonElement e, string? path, IReadOnlyList<string> allowed, bool nullIsAbsent)
    {
        if (e.ValueKind != JsonValueKind.Object)
            throw new InvalidInputException(path ?? SweepSpec.DocumentField, $"expected a JSON object; got {Show(e)}");
        var members = new Dictionary<string, JsonElement>();
        var seen = new HashSet<string>();
        var unknown = new List<string>();
        foreach (var property in e.EnumerateObject())
        {
            if (!seen.Add(property.Name)) throw new InvalidInputException(Path(path, property.Name), "given twice; give each key once");
            if (!allowed.Contains(property.Name)) unknown.Add(property.Name);
            else if (!(nullIsAbsent && property.Value.ValueKind == JsonValueKind.Null)) members.Add(property.Name, property.Value);
        }
        if (unknown.Count > 0)
            throw new InvalidInputException(Path(path, unknown[0]),
                $"unknown key{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)}{(path is null ? "" : " in " + path)}; allowed: {string.Join(", ", allowed)}");
        return members;
    }

    private static string Path(string? path, string key) => path is null ? key : path + "." + key;

    /// <summary>A JSON value as a message shows it: numbers as written, strings quoted, lists in brackets.</summary>
    private static string Show(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"'{e.GetString()}'",
        JsonValueKind.Array => "[" + string.Join(", ", e.EnumerateArray().Select(Show)) + "]",
        JsonValueKind.Object => "an object",
        _ => e.GetRawText(),
    };
}
