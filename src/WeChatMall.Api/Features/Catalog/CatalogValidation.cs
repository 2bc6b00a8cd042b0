namespace WeChatMall.Api.Features.Catalog;

/// <summary>
/// Rules DataAnnotations cannot express: across fields, across SKUs, and against the database. Errors are keyed
/// by the JSON path of the offending field (camelCase, e.g. <c>skus[1].spec</c>), like the 400s of AddValidation.
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
                errors.Add($"images[{i}]", "Must be an absolute http(s) URL of at most 512 characters.");
    }

    public static void Sku(SkuFieldsRequest r, string prefix, CatalogErrors errors)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var j = 0; j < r.Spec.Count; j++)
        {
            var s = r.Spec[j];
            if ((s.Name + s.Value).IndexOfAny(['=', ';']) >= 0)
                errors.Add($"{prefix}spec[{j}]", "Spec names and values cannot contain '=' or ';'.");
            if (!names.Add(s.Name.Trim()))
                errors.Add($"{prefix}spec[{j}].name", $"Spec name '{s.Name}' appears twice.");
        }
        if (r.OriginalPriceFen is { } original && original < r.PriceFen)
            errors.Add($"{prefix}originalPriceFen", "The original price cannot be below the price.");
    }

    /// <summary>SKUs of one product: each valid, no spec or code twice.</summary>
    public static void Skus(IReadOnlyList<SkuFieldsRequest> skus, CatalogErrors errors)
    {
        var specs = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < skus.Count; i++)
        {
            Sku(skus[i], $"skus[{i}].", errors);
            if (!specs.TryAdd(SpecKey(skus[i].Spec), i))
                errors.Add($"skus[{i}].spec", $"Duplicate spec: same as skus[{specs[SpecKey(skus[i].Spec)]}].");
        }
        DuplicateCodes(skus.Select((s, i) => (s.Code, $"skus[{i}].code")), errors);
    }

    public static void DuplicateCodes(IEnumerable<(string? Code, string Field)> codes, CatalogErrors errors)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (code, field) in codes)
            if (code is not null && !seen.Add(code)) errors.Add(field, $"SKU code '{code}' appears twice.");
    }
}
