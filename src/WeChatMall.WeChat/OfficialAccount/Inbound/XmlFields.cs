using System.Globalization;
using System.Xml.Linq;

namespace WeChatMall.WeChat.OfficialAccount.Inbound;

// Typed, trimmed access to a message's child elements; every failure is a WeChatXmlException.
sealed class XmlFields(XElement root)
{
    public XElement Root => root;

    public string? Optional(string name, XElement? parent = null) => (parent ?? root).Child(name);

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
        => root.Element(name) ?? throw new WeChatXmlException(WeChatXmlError.MissingField, $"<{name}> is missing.");

    public IReadOnlyDictionary<string, string> All()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
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
