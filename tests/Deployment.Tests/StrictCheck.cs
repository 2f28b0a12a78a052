using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using YamlDotNet.RepresentationModel;

namespace RnnCluster.Deployment.Tests;

/// <summary>
/// Checks rendered objects strictly against the Kubernetes API's own types (the KubernetesClient package's models,
/// generated from the API's OpenAPI document; the ServiceMonitor from its CRD, <see cref="V1ServiceMonitor"/>):
/// <list type="bullet">
/// <item>a walk of the YAML against the model types: every field must be a property of its type (an unknown or
/// misspelled one is a problem naming the object and the field's path), lists where lists go, maps where maps go,
/// numbers and booleans that parse;</item>
/// <item>KubernetesClient's own YAML loader in strict mode (<c>KubernetesYaml.LoadAllFromString(..., strict: true)</c>),
/// which must load every object as its type, and the model's required fields (its Validate method).</item>
/// </list>
/// </summary>
internal static class StrictCheck
{
    /// <summary>"apiVersion/kind" (as KubernetesYaml's type map keys it) to the model type, for every type of the API and the CRDs used.</summary>
    public static readonly IReadOnlyDictionary<string, Type> Types = BuildTypes();

    public static IEnumerable<string> Problems(IEnumerable<RenderedObject> objects)
    {
        foreach (var o in objects)
        {
            if (!Types.TryGetValue($"{o.ApiVersion}/{o.Kind}", out var type))
            {
                yield return $"{o.Id}: apiVersion {o.ApiVersion}, kind {o.Kind} is no type of the Kubernetes API (nor a known CRD)";
                continue;
            }
            var problems = new List<string>();
            Walk(o.Node, type, "", problems);
            foreach (var p in problems) yield return $"{o.Id}: {p}";
            if (problems.Count > 0) continue;

            object? loaded = null;
            string? error = null;
            try
            {
                loaded = KubernetesYaml.LoadAllFromString(o.Yaml, new Dictionary<string, Type>(Types), strict: true).Single();
            }
            catch (Exception e)
            {
                error = e.Message.Split('\n')[0];
            }
            if (error is not null) { yield return $"{o.Id}: KubernetesYaml (strict) rejects it: {error}"; continue; }
            if (loaded?.GetType() != type) { yield return $"{o.Id}: KubernetesYaml loaded it as {loaded?.GetType().Name}, not {type.Name}"; continue; }
            var validate = type.GetMethod("Validate", BindingFlags.Public | BindingFlags.Instance, Type.EmptyTypes);
            if (validate is not null)
            {
                string? invalid = null;
                try { validate.Invoke(loaded, null); }
                catch (TargetInvocationException e) { invalid = e.InnerException?.Message ?? e.Message; }
                if (invalid is not null) yield return $"{o.Id}: a required field is missing: {invalid}";
            }
        }
    }

    /// <summary>The rendered object loaded as its model (after <see cref="Problems"/> found none).</summary>
    public static T Load<T>(RenderedObject o) => (T)KubernetesYaml.LoadAllFromString(o.Yaml, new Dictionary<string, Type>(Types), strict: true).Single();

    private static void Walk(YamlNode node, Type type, string path, List<string> problems)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        string at = path.Length == 0 ? "(document)" : path;
        if (type == typeof(object) || type == typeof(System.Text.Json.JsonElement)) return;   // free-form by the schema

        if (IsScalar(type))
        {
            if (node is not YamlScalarNode scalar) { problems.Add($"{at}: expected a {Describe(type)}, found a {NodeKind(node)}"); return; }
            string value = scalar.Value ?? "";
            bool ok = type == typeof(int) ? int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                : type == typeof(long) ? long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
                : type == typeof(double) ? double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                : type == typeof(bool) ? value is "true" or "false" or "True" or "False"
                : true;
            if (!ok) problems.Add($"{at}: '{value}' is not a {Describe(type)}");
            return;
        }

        if (Dictionary(type) is Type valueType)
        {
            if (node is not YamlMappingNode map) { problems.Add($"{at}: expected a map, found a {NodeKind(node)}"); return; }
            foreach (var (key, value) in map.Children) Walk(value, valueType, $"{path}{(path.Length == 0 ? "" : ".")}{Key(key)}", problems);
            return;
        }

        if (ListItem(type) is Type itemType)
        {
            if (node is not YamlSequenceNode sequence) { problems.Add($"{at}: expected a list, found a {NodeKind(node)}"); return; }
            for (int i = 0; i < sequence.Children.Count; i++) Walk(sequence.Children[i], itemType, $"{path}[{i}]", problems);
            return;
        }

        if (node is not YamlMappingNode fields) { problems.Add($"{at}: expected an object ({type.Name}), found a {NodeKind(node)}"); return; }
        var properties = Fields(type);
        foreach (var (key, value) in fields.Children)
        {
            string name = Key(key);
            string fieldPath = path.Length == 0 ? name : $"{path}.{name}";
            if (!properties.TryGetValue(name, out var property))
            {
                string? near = properties.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase));
                problems.Add($"{fieldPath}: unknown field '{name}' of {type.Name}{(near is null ? "" : $" (did you mean '{near}'?)")}");
                continue;
            }
            if (value is YamlScalarNode { Value: null or "" or "null" or "~", Style: YamlDotNet.Core.ScalarStyle.Plain }) continue;   // null
            Walk(value, property.PropertyType, fieldPath, problems);
        }
    }

    private static readonly Dictionary<Type, Dictionary<string, PropertyInfo>> FieldCache = [];

    private static Dictionary<string, PropertyInfo> Fields(Type type)
    {
        lock (FieldCache)
        {
            if (FieldCache.TryGetValue(type, out var cached)) return cached;
            var fields = new Dictionary<string, PropertyInfo>(StringComparer.Ordinal);
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                if (p.GetCustomAttribute<JsonPropertyNameAttribute>() is { } json) fields[json.Name] = p;
            FieldCache[type] = fields;
            return fields;
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
        || type == typeof(byte[]) || type == typeof(IntOrString) || type == typeof(ResourceQuantity);

    private static Type? Dictionary(Type type)
    {
        var dictionary = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>) ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dictionary?.GetGenericArguments()[1];
    }

    private static Type? ListItem(Type type)
    {
        if (type == typeof(string) || type == typeof(byte[])) return null;
        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>) ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>));
        return list?.GetGenericArguments()[0];
    }

    private static string Key(YamlNode key) => key is YamlScalarNode s ? s.Value ?? "" : key.ToString();

    private static string NodeKind(YamlNode node) => node switch { YamlMappingNode => "map", YamlSequenceNode => "list", _ => "scalar" };

    private static string Describe(Type type) =>
        type == typeof(int) || type == typeof(long) ? "integer" : type == typeof(double) ? "number" : type == typeof(bool) ? "boolean" : "scalar";

    private static Dictionary<string, Type> BuildTypes()
    {
        var types = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in typeof(V1Pod).Assembly.GetTypes().Append(typeof(V1ServiceMonitor)))
        {
            if (type.GetCustomAttribute<KubernetesEntityAttribute>() is not { } entity || string.IsNullOrEmpty(entity.Kind)) continue;
            string apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
            types.TryAdd($"{apiVersion}/{entity.Kind}", type);
        }
        return types;
    }
}
