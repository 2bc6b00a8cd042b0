namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// Rules DataAnnotations cannot express: across fields, across SKUs, and against the database. Errors are keyed
/// by the path of the offending field as AddValidation writes it (e.g. <c>Skus[1].Spec</c>), so clients handle one format.
/// </summary>
public sealed class CatalogErrors
{
    readonly Dictionary<string, List<string>> errors = [];

    public bool Any => errors.Count > 0;

    public IEnumerable<string> Keys => errors.Keys;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var list)) errors[field] = list = [];
        list.Add(message);
    }

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
}

public static class CatalogValidation
{
    /// <summary>Canonical spec: names sorted, so {size, colour} and {colour, size} are the same SKU.</summary>
    public static string SpecKey(IEnumerable<SpecValueRequest> spec) => string.Join(";",
        spec.Select(s => (Name: s.Name.Trim(), Value: s.Value.Trim()))
            .OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).Select(s => s.Name + "=" + s.Value));

    public static void Product(ProductFieldsRequest r, CatalogErrors errors)
    {
        for (var i = 0; i < r.Images.Count; i++)
            if (!Uri.TryCreate(r.Images[i], UriKind.Absolute, out var u) || u.Scheme is not ("https" or "http") || r.Images[i].Length > 512)
                errors.Add($"Images[{i}]", "Must be an absolute http(s) URL of at most 512 characters.");
    }

    public static void Sku(SkuFieldsRequest r, string prefix, CatalogErrors errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < r.Spec.Count; j++)
        {
            // JSON allows [null] where a list of objects is expected; DataAnnotations never look inside it.
            if (r.Spec[j] is not { } s) { errors.Add($"{prefix}Spec[{j}]", "A spec value cannot be null."); continue; }
            if ((s.Name + s.Value).IndexOfAny(['=', ';']) >= 0)
                errors.Add($"{prefix}Spec[{j}]", "Spec names and values cannot contain '=' or ';'.");
            if (!names.Add(s.Name.Trim()))
                errors.Add($"{prefix}Spec[{j}].Name", $"Spec name '{s.Name}' appears twice.");
        }
        if (r.OriginalPriceFen is { } original && original < r.PriceFen)
            errors.Add($"{prefix}OriginalPriceFen", "The original price cannot be below the price.");
    }

    /// <summary>SKUs of one product: each valid, no spec or code twice.</summary>
    public static void Skus(IReadOnlyList<SkuFieldsRequest> skus, CatalogErrors errors)
    {
        var specs = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < skus.Count; i++)
        {
            if (skus[i] is null) { errors.Add($"Skus[{i}]", "A SKU cannot be null."); continue; }
            Sku(skus[i], $"Skus[{i}].", errors);
            if (skus[i].Spec.Contains(null!)) continue;
            if (!specs.TryAdd(SpecKey(skus[i].Spec), i))
                errors.Add($"Skus[{i}].Spec", $"Duplicate spec: same as Skus[{specs[SpecKey(skus[i].Spec)]}].");
        }
        DuplicateCodes(skus.Select((s, i) => (s?.Code, $"Skus[{i}].Code")), errors);
    }

    public static void DuplicateCodes(IEnumerable<(string? Code, string Field)> codes, CatalogErrors errors)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, field) in codes)
            if (code is not null && !seen.Add(code)) errors.Add(field, $"SKU code '{code}' appears twice.");
    }
}
