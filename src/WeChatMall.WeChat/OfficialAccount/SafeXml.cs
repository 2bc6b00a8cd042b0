using System.Xml;
using System.Xml.Linq;

namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>
/// Parses untrusted callback XML (docs/wechat-protocol.md#untrusted-xml): DTDs prohibited, no resolver (no file or network access),
/// size-capped. Every failure is a <see cref="WeChatXmlException"/>.
/// </summary>
public static class SafeXml
{
    public const int DefaultMaxCharacters = 1024 * 1024;

    public static XElement Parse(string? xml, int maxCharacters = DefaultMaxCharacters)
    {
        if (string.IsNullOrWhiteSpace(xml))
            throw new WeChatXmlException(WeChatXmlError.Empty, "The XML body is empty.");
        if (xml.Length > maxCharacters)
            throw new WeChatXmlException(WeChatXmlError.TooLarge, $"The XML body exceeds {maxCharacters} characters.");

        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 0,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return XDocument.Load(reader).Root
                ?? throw new WeChatXmlException(WeChatXmlError.Malformed, "The XML has no root element.");
        }
        catch (XmlException e) when (xml.Contains("<!DOCTYPE", StringComparison.OrdinalIgnoreCase))
        {
            throw new WeChatXmlException(WeChatXmlError.DtdProhibited, "DTDs are not accepted.", e);
        }
        catch (XmlException e)
        {
            throw new WeChatXmlException(WeChatXmlError.Malformed, "The XML is malformed.", e);
        }
    }

    // The allocation-light path for WeChat's usual flat documents; null means "use Parse" (which also reports errors).
    // Read fields through Inbound.XmlFields.Parse, which makes that choice in one place.
    internal static List<KeyValuePair<string, string>>? TryParseFlat(string? xml, int maxCharacters)
        => string.IsNullOrWhiteSpace(xml) || xml.Length > maxCharacters ? null : FlatXml.TryParse(xml);

    /// <summary>Trimmed text of a direct child, or null when absent (WeChat pads CDATA with whitespace).</summary>
    public static string? Child(this XElement element, string name)
        => element.Element(name)?.Value.Trim();
}
