using System.Globalization;
using System.Text.Json;
using Dapper;
using WeChatMall.Api.Features.Audience.Rfm;

namespace WeChatMall.Api.Features.Audience.Segments;

/// <summary>A rule turned into a WHERE clause over member_stats s (and members m when UsesMembers) with its parameters.</summary>
public sealed record CompiledRule(string Where, DynamicParameters Parameters, bool UsesMembers, IReadOnlyList<long> TagIds);

/// <summary>Why a rule was refused: a stable code, the field or operator at fault and where in the tree.</summary>
public sealed record RuleError(string Code, string Title, string Path, string? Field = null, string? Operator = null);

/// <summary>
/// Compiles a segment rule tree (docs/audience.md) to SQL. The SQL text comes only from <see cref="SegmentFields"/> and
/// fixed operators; every value becomes a parameter. Nodes: {"all": [...]}, {"any": [...]}, {"not": {...}},
/// {"none": [...]}, and conditions {"field", "op", "value", "days"?, "template"?}.
/// </summary>
public sealed class SegmentCompiler(DateTime now, int maxNodes, bool allowTags = true)
{
    readonly DynamicParameters parameters = new();
    readonly List<long> tagIds = [];
    int nodes, next;
    bool usesMembers;

    public static (CompiledRule? Rule, RuleError? Error) Compile(JsonElement rule, DateTime now, int maxNodes, bool allowTags = true)
    {
        var compiler = new SegmentCompiler(now, maxNodes, allowTags);
        try
        {
            var where = compiler.Node(rule, "$", 0);
            return (new CompiledRule(where, compiler.parameters, compiler.usesMembers, compiler.tagIds), null);
        }
        catch (RuleException ex)
        {
            return (null, ex.Error);
        }
    }

    string Node(JsonElement n, string path, int depth)
    {
        if (++nodes > maxNodes || depth > 10)
            throw Fail("SEGMENT_RULE_TOO_LARGE", $"A rule may have at most {maxNodes} nodes, nested at most 10 deep.", path);
        if (n.ValueKind != JsonValueKind.Object) throw Fail("SEGMENT_RULE_INVALID", "Each rule node must be a JSON object.", path);
        if (n.TryGetProperty("all", out var all)) return Group(all, " AND ", "(1 = 1)", path + ".all", depth);
        if (n.TryGetProperty("any", out var any)) return Group(any, " OR ", "(1 = 0)", path + ".any", depth);
        if (n.TryGetProperty("none", out var none)) return $"NOT COALESCE({Group(none, " OR ", "(1 = 0)", path + ".none", depth)}, FALSE)";
        if (n.TryGetProperty("not", out var not)) return $"NOT COALESCE({Node(not, path + ".not", depth + 1)}, FALSE)";
        if (n.TryGetProperty("field", out _)) return Condition(n, path);
        throw Fail("SEGMENT_RULE_INVALID", "A rule node needs one of: all, any, none, not, field.", path);
    }

    string Group(JsonElement items, string joiner, string empty, string path, int depth)
    {
        if (items.ValueKind != JsonValueKind.Array) throw Fail("SEGMENT_RULE_INVALID", "all/any/none take an array of nodes.", path);
        var parts = items.EnumerateArray().Select((item, i) => Node(item, $"{path}[{i}]", depth + 1)).ToList();
        return parts.Count == 0 ? empty : "(" + string.Join(joiner, parts) + ")";
    }

    string Condition(JsonElement n, string path)
    {
        var name = Str(n, "field");
        if (name is null || !SegmentFields.All.TryGetValue(name, out var field) || (!allowTags && name == "tag"))
            throw new RuleException(new RuleError("SEGMENT_UNKNOWN_FIELD",
                $"Unknown segment field '{name}'" + (!allowTags && name == "tag" ? " (a rule tag cannot depend on tags)" : ""), path, Field: name));
        var op = Str(n, "op");
        if (op is null || !SegmentFields.Operators(field.Kind).Contains(op))
            throw new RuleException(new RuleError("SEGMENT_UNKNOWN_OPERATOR",
                $"Unknown operator '{op}' for field '{name}'; use one of: {string.Join(", ", SegmentFields.Operators(field.Kind))}", path, name, op));
        usesMembers |= field.UsesMembers;
        var value = n.TryGetProperty("value", out var v) ? v : default;
        var sql = field.Sql.Replace("{now}", Param(now), StringComparison.Ordinal);
        if (field.Extra == "days")
        {
            var days = n.TryGetProperty("days", out var d) && Int(d) is { } x && x is >= 1 and <= 3650 ? (int)x
                : throw Invalid(path, name!, "needs \"days\": a whole number of days from 1 to 3650");
            var since = Param(now.AddDays(-days));
            sql = sql.Replace("{since}", since, StringComparison.Ordinal)
                .Replace("{bound}", Param(Bound(op, value, high: true) ?? long.MaxValue), StringComparison.Ordinal)
                .Replace("{low}", Param(Bound(op, value, high: false) ?? long.MinValue), StringComparison.Ordinal);
            if (field.Name == "ordersWithin")
            {
                var compared = Compare(field, sql, op, value, path); // validates the value first
                return RecentOrders(op, value, since) ?? compared;
            }
        }
        if (field.Extra == "template")
        {
            var template = Str(n, "template") is { Length: >= 1 and <= 64 } t ? t : throw Invalid(path, name!, "needs \"template\": the subscribe template id");
            sql = sql.Replace("{template}", Param(template), StringComparison.Ordinal);
        }
        return field.Kind switch
        {
            FieldKind.Ids => IdsCondition(field, sql, op, value, path),
            FieldKind.Flag => $"{sql} = {Param(value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw Invalid(path, name!, "takes true or false"))}",
            _ => Compare(field, sql, op, value, path),
        };
    }

    // "k orders or more within the window" holds exactly when the k-th most recent counted order is in it, and member_stats
    // keeps the four most recent: a count rule that needs no k above 4 is a comparison of their times (the first three
    // indexed; the fourth is read in a scan of member_stats, still far cheaper than the field's general expression, a
    // CASE). Null otherwise. Compare has refused values that are not numbers.
    static readonly string[] RecentPaidAt = ["s.last_paid_at", "s.last2_paid_at", "s.last3_paid_at", "s.last4_paid_at"];

    static string? RecentOrders(string op, JsonElement value, string since)
    {
        string? AtLeast(long k) => k <= 0 ? "(1 = 1)" : k <= RecentPaidAt.Length ? $"{RecentPaidAt[k - 1]} >= {since}" : null;
        string? Fewer(long k) => k <= 0 ? "(1 = 0)" : k <= RecentPaidAt.Length ? $"({RecentPaidAt[k - 1]} IS NULL OR {RecentPaidAt[k - 1]} < {since})" : null;
        static string? Both(string? a, string? b) => a is null || b is null ? null : $"({a} AND {b})";
        static string? Either(string? a, string? b) => a is null || b is null ? null : $"({a} OR {b})";
        // Beyond the kept orders (and clear of overflow in the k + 1 below) the field's general expression answers.
        static long Next(long v) => v > RecentPaidAt.Length ? long.MaxValue : v + 1;
        return op switch
        {
            ">=" => AtLeast(value.GetInt64()),
            ">" => AtLeast(Next(value.GetInt64())),
            "<" => Fewer(value.GetInt64()),
            "<=" => Fewer(Next(value.GetInt64())),
            "=" => Both(AtLeast(value.GetInt64()), Fewer(Next(value.GetInt64()))),
            "!=" => Either(Fewer(value.GetInt64()), AtLeast(Next(value.GetInt64()))),
            "between" => Both(AtLeast(value[0].GetInt64()), Fewer(Next(value[1].GetInt64()))),
            _ => null,
        };
    }

    // The highest (or lowest) value a comparison names (an invalid value is refused by Compare: the bound is then never used).
    static long? Bound(string op, JsonElement value, bool high) =>
        op == "between" ? value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2 ? Int(value[high ? 1 : 0]) : null : Int(value);

    string IdsCondition(SegmentField field, string sql, string op, JsonElement value, string path)
    {
        var ids = value.ValueKind == JsonValueKind.Array && value.GetArrayLength() is >= 1 and <= 1000
            && value.EnumerateArray().All(e => Int(e) is > 0)
            ? value.EnumerateArray().Select(e => e.GetInt64()).ToList()
            : throw Invalid(path, field.Name, "takes an array of 1 to 1000 positive ids");
        if (field.Name == "tag") tagIds.AddRange(ids);
        var exists = sql.Replace("{0}", Param(ids), StringComparison.Ordinal);
        return op == "in" ? exists : $"NOT {exists}";
    }

    string Compare(SegmentField field, string col, string op, JsonElement value, string path) => op switch
    {
        "isNull" => $"{col} IS NULL",
        "isNotNull" => $"{col} IS NOT NULL",
        "between" => value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 2
            ? $"{col} BETWEEN {Param(Scalar(field, value[0], path))} AND {Param(Scalar(field, value[1], path))}"
            : throw Invalid(path, field.Name, "with between takes [low, high]"),
        "in" or "notIn" => List(field, col, op, value, path),
        "withinDays" => $"{col} >= {Param(now.AddDays(-Whole(value, 36_500, path, field.Name)))}",
        "notWithinDays" => $"({col} IS NULL OR {col} < {Param(now.AddDays(-Whole(value, 36_500, path, field.Name)))})",
        "withinHours" => $"{col} >= {Param(now.AddHours(-Whole(value, 87_600, path, field.Name)))}",
        "notWithinHours" => $"({col} IS NULL OR {col} < {Param(now.AddHours(-Whole(value, 87_600, path, field.Name)))})",
        // NULL-safe: "not gold" includes members without a tier.
        "!=" => $"NOT ({col} <=> {Param(Scalar(field, value, path))})",
        _ => $"{col} {op} {Param(Scalar(field, value, path))}",
    };

    string List(SegmentField field, string col, string op, JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() is < 1 or > 1000)
            throw Invalid(path, field.Name, "takes an array of 1 to 1000 values");
        var values = value.EnumerateArray().Select(e => Scalar(field, e, path)).ToList();
        var p = Param(values);
        return op == "in" ? $"{col} IN {p}" : $"({col} IS NULL OR {col} NOT IN {p})";
    }

    object Scalar(SegmentField field, JsonElement v, string path) => field.Kind switch
    {
        FieldKind.Number => Int(v) is { } n ? n : throw Invalid(path, field.Name, "takes a whole number"),
        FieldKind.Date => v.ValueKind == JsonValueKind.String
            && DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
            ? d.UtcDateTime : throw Invalid(path, field.Name, "takes an ISO 8601 date or time, e.g. 2026-01-31T00:00:00+08:00"),
        FieldKind.Text => v.ValueKind == JsonValueKind.String && v.GetString()!.Length <= 64 ? v.GetString()!
            : throw Invalid(path, field.Name, "takes a string of at most 64 characters"),
        FieldKind.RfmGroup => v.ValueKind == JsonValueKind.String && RfmGroups.Parse(v.GetString()!) is { } g ? g
            : throw Invalid(path, field.Name, $"takes one of: {string.Join(", ", RfmGroups.All)} (or the Chinese names)"),
        _ => throw Invalid(path, field.Name, "has no comparable value"),
    };

    static int Whole(JsonElement v, int max, string path, string field) =>
        Int(v) is { } n && n >= 1 && n <= max ? (int)n : throw Invalid(path, field, $"takes a whole number from 1 to {max}");

    // A JSON number that is a whole long; anything else (a string, 1.5, true) is not. TryGetInt64 throws on non-numbers.
    static long? Int(JsonElement v) => v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    string Param(object value)
    {
        var name = "v" + next++.ToString(CultureInfo.InvariantCulture) + "_"; // "v3_" expands to "v3_1", "v3_2": never another name
        parameters.Add(name, value);
        return "@" + name;
    }

    static string? Str(JsonElement n, string name) => n.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static RuleException Fail(string code, string title, string path) => new(new RuleError(code, title, path));

    static RuleException Invalid(string path, string field, string what) =>
        new(new RuleError("SEGMENT_INVALID_VALUE", $"Field '{field}' {what}.", path, Field: field));

    sealed class RuleException(RuleError error) : Exception(error.Title)
    {
        public RuleError Error { get; } = error;
    }
}
