using System.Globalization;
using System.Xml.Linq;

namespace WeChatMall.WeChat.OfficialAccount.Inbound;

// Typed, trimmed access to a message's child elements; every failure is a WeChatXmlException. Built either on a
// parsed tree or on the flat field list of SafeXml's fast path; the tree is then parsed only if nested elements are
// asked for (a few menu events), so both give the same answers.
sealed class XmlFields
{
    XElement? _root;
    readonly List<KeyValuePair<string, string>>? _flat;
    readonly string _xml = "";
    readonly int _maxCharacters;

    XmlFields(XElement root) => _root = root;

    XmlFields(List<KeyValuePair<string, string>> flat, string xml, int maxCharacters)
        => (_flat, _xml, _maxCharacters) = (flat, xml, maxCharacters);

    /// <summary>The one entry point: SafeXml's flat fast path when it takes the document, else its full parser.</summary>
    public static XmlFields Parse(string xml, int maxCharacters)
        => SafeXml.TryParseFlat(xml, maxCharacters) is { } flat
            ? new XmlFields(flat, xml, maxCharacters)
            : new XmlFields(SafeXml.Parse(xml, maxCharacters));

    public XElement Root => _root ??= SafeXml.Parse(_xml, _maxCharacters);

    public string? Optional(string name, XElement? parent = null)
        => parent is null && _flat is not null ? FlatChild(_flat, name) : (parent ?? Root).Child(name);

    // First child of that name, like XElement.Element(name)?.Value.Trim() (FlatXml already trimmed the values).
    static string? FlatChild(List<KeyValuePair<string, string>> fields, string name)
    {
        foreach (var (key, value) in fields)
            if (key == name) return value;
        return null;
    }

    public string Required(string name, XElement? parent = null)
        => Optional(name, parent) ?? throw new WeChatXmlException(WeChatXmlError.MissingField, $"<{name}> is missing.");

    public long Long(string name, XElement? parent = null)
        => long.TryParse(Required(name, parent), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Invalid(name);

    public int Int(string name, XElement? parent = null)
        => int.TryParse(Required(name, parent), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : throw Invalid(name);

    public double Double(string name, XElement? parent = null)
        => double.TryParse(Required(name, parent), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw Invalid(name);

    public long OptionalLong(string name) => Optional(name) is { Length: > 0 } ? Long(name) : 0;

    public XElement Element(string name)
        => Root.Element(name) ?? throw new WeChatXmlException(WeChatXmlError.MissingField, $"<{name}> is missing.");

    public IReadOnlyDictionary<string, string> All()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        if (_flat is not null)
        {
            foreach (var (name, value) in _flat) fields.TryAdd(name, value); // every child of a flat document is a leaf
            return fields;
        }
        var root = Root;
        foreach (var leaf in root.Descendants().Where(e => !e.HasElements))
        {
            var path = string.Join('/', leaf.AncestorsAndSelf().TakeWhile(e => e != root).Reverse().Select(e => e.Name.LocalName));
            fields.TryAdd(path, leaf.Value.Trim());
        }
        return fields;
    }

    static WeChatXmlException Invalid(string name)
        => new(WeChatXmlError.InvalidValue, $"<{name}> is not a valid number.");
}
