using System.Text;

namespace WeChatMall.WeChat.OfficialAccount;

// Writes WeChat's flat <xml> documents byte-exactly: strings in CDATA, numbers bare, no whitespace.
sealed class XmlFragmentWriter
{
    readonly StringBuilder _sb = new StringBuilder(512).Append("<xml>");

    public XmlFragmentWriter Cdata(string name, string value)
    {
        // "]]>" cannot appear inside CDATA: close the section between "]]" and ">" and reopen it.
        _sb.Append('<').Append(name).Append("><![CDATA[")
           .Append(value.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal))
           .Append("]]></").Append(name).Append('>');
        return this;
    }

    public XmlFragmentWriter Raw(string name, string value)
    {
        _sb.Append('<').Append(name).Append('>').Append(value).Append("</").Append(name).Append('>');
        return this;
    }

    public XmlFragmentWriter Number(string name, long value)
        => Raw(name, value.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public XmlFragmentWriter Open(string name)
    {
        _sb.Append('<').Append(name).Append('>');
        return this;
    }

    public XmlFragmentWriter Close(string name)
    {
        _sb.Append("</").Append(name).Append('>');
        return this;
    }

    public string ToXml() => _sb.Append("</xml>").ToString();
}
