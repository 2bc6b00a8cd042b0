namespace WeChatMall.WeChat.OfficialAccount;

// The fast path of SafeXml for what WeChat actually pushes (docs/wechat-protocol.md#callback-modes, docs/wechat-protocol.md#inbound-messages): one root whose children are leaves holding
// CDATA sections or plain text, e.g. <xml><ToUserName><![CDATA[gh_1]]></ToUserName><CreateTime>1</CreateTime></xml>.
// It reads exactly that shape without an XmlReader or a DOM (the callback's largest allocation). It is strict by
// refusal: anything else (declaration, DTD, comment, attribute, entity or character reference, nested element,
// CR, control or unpaired surrogate characters, ">" in text, a self-closing tag…) returns null and the caller runs
// the full XmlReader parser, so what is accepted — and every error — stays that parser's.
static class FlatXml
{
    // Names WeChat sends, so that the common ones are not allocated per message.
    static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownNames = new[]
    {
        "xml", "ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "MsgDataId", "Idx",
        "Event", "EventKey", "Ticket", "Encrypt", "PicUrl", "MediaId", "Format", "Recognition", "ThumbMediaId",
        "Location_X", "Location_Y", "Scale", "Label", "Title", "Description", "Url", "Latitude", "Longitude",
        "Precision", "MenuId", "MsgID", "Status", "TotalCount", "FilterCount", "SentCount", "ErrorCount",
    }.ToDictionary(n => n, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The root's children as (name, trimmed value) in document order, or null when not of that shape.</summary>
    public static List<KeyValuePair<string, string>>? TryParse(string xml)
    {
        var s = xml.AsSpan();
        var pos = SkipSpace(s, 0);
        if (!OpenTag(s, ref pos, out var root)) return null;
        var fields = new List<KeyValuePair<string, string>>(8);
        while (true)
        {
            pos = SkipSpace(s, pos);
            if (pos + 1 < s.Length && s[pos] == '<' && s[pos + 1] == '/')
            {
                if (!CloseTag(s, ref pos, root)) return null;
                return SkipSpace(s, pos) == s.Length ? fields : null;
            }
            if (!OpenTag(s, ref pos, out var name) || !Content(s, ref pos, out var value) || !CloseTag(s, ref pos, name))
                return null;
            fields.Add(new(Name(name), value));
        }
    }

    // "<Name>" with an ASCII name and nothing else inside the brackets.
    static bool OpenTag(ReadOnlySpan<char> s, ref int pos, out ReadOnlySpan<char> name)
    {
        name = default;
        if (pos >= s.Length || s[pos] != '<') return false;
        var end = NameEnd(s, pos + 1);
        if (end == pos + 1 || end >= s.Length || s[end] != '>') return false;
        name = s[(pos + 1)..end];
        pos = end + 1;
        return true;
    }

    static bool CloseTag(ReadOnlySpan<char> s, ref int pos, ReadOnlySpan<char> name)
    {
        var end = pos + 2 + name.Length;
        if (end >= s.Length || s[pos] != '<' || s[pos + 1] != '/' || !s[(pos + 2)..end].SequenceEqual(name) || s[end] != '>')
            return false;
        pos = end + 1;
        return true;
    }

    static int NameEnd(ReadOnlySpan<char> s, int pos)
    {
        if (pos >= s.Length || !(char.IsAsciiLetter(s[pos]) || s[pos] == '_')) return pos;
        var i = pos + 1;
        while (i < s.Length && (char.IsAsciiLetterOrDigit(s[i]) || s[i] is '_' or '-' or '.')) i++;
        return i;
    }

    // Leaf content up to its end tag: one CDATA section or one text run, with optional whitespace around it, trimmed
    // as XElement.Value.Trim() would. Two CDATA sections (WeChat splits one around "]]>") or mixed text and CDATA
    // go to the full parser.
    static bool Content(ReadOnlySpan<char> s, ref int pos, out string value)
    {
        value = "";
        var found = false;
        var content = default(ReadOnlySpan<char>);
        while (true)
        {
            if (pos >= s.Length) return false;
            ReadOnlySpan<char> piece;
            var whitespaceOnly = false;
            if (s[pos] == '<')
            {
                if (pos + 1 < s.Length && s[pos + 1] == '/') break;
                if (!s[pos..].StartsWith("<![CDATA[", StringComparison.Ordinal)) return false; // nesting, comment…
                var open = pos + "<![CDATA[".Length;
                var close = s[open..].IndexOf("]]>", StringComparison.Ordinal);
                if (close < 0) return false;
                piece = s.Slice(open, close);
                pos = open + close + 3;
            }
            else
            {
                var next = s[pos..].IndexOf('<');
                if (next < 0) return false;
                piece = s.Slice(pos, next);
                if (piece.ContainsAny('&', '>')) return false; // references, and "]]>" which text may not contain
                whitespaceOnly = !piece.ContainsAnyExcept(" \t\n");
                pos += next;
            }
            if (!ValidChars(piece)) return false;
            if (whitespaceOnly) continue;
            if (found) return false;
            found = true;
            content = piece;
        }
        value = found ? new string(content.Trim()) : "";
        return true;
    }

    // XML 1.0 characters, minus CR (the XML parser normalizes line ends; leave that to it).
    static bool ValidChars(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c < 0x20 && c is not ('\t' or '\n')) return false;
            if (c >= 0xD800)
            {
                if (c is '\uFFFE' or '\uFFFF') return false;
                if (char.IsHighSurrogate(c))
                {
                    if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                    i++;
                }
                else if (char.IsLowSurrogate(c)) return false;
            }
        }
        return true;
    }

    static int SkipSpace(ReadOnlySpan<char> s, int pos)
    {
        while (pos < s.Length && s[pos] is ' ' or '\t' or '\n' or '\r') pos++;
        return pos;
    }

    static string Name(ReadOnlySpan<char> name) => KnownNames.TryGetValue(name, out var known) ? known : new string(name);
}
