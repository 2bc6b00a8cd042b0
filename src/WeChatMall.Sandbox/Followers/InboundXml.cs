using System.Globalization;
using System.Text;

namespace WeChatMall.Sandbox.Followers;

/// <summary>Builds the message and event XML WeChat pushes (docs/wechat-protocol.md#inbound-messages): strings in CDATA, numbers bare.</summary>
public static class InboundXml
{
    public static string Text(string originalId, string openId, long createTime, string content, long msgId)
        => Build(originalId, openId, createTime, "text", ("Content", content), ("MsgId", msgId));

    /// <summary>subscribe, unsubscribe, SCAN, CLICK …; a QR subscribe carries EventKey qrscene_… and the Ticket.</summary>
    public static string Event(string originalId, string openId, long createTime, string @event, string? eventKey = null, string? ticket = null)
    {
        var fields = new List<(string, object)> { ("Event", @event) };
        if (eventKey is not null) fields.Add(("EventKey", eventKey));
        if (ticket is not null) fields.Add(("Ticket", ticket));
        return Build(originalId, openId, createTime, "event", [.. fields]);
    }

    /// <summary>
    /// <c>subscribe_msg_popup_event</c>: the member answered a mini-program subscribe prompt (one List per template).
    /// Built as a tree because of the nested elements.
    /// </summary>
    public static string SubscribePopup(string originalId, string openId, long createTime, IEnumerable<(string TemplateId, string Status)> choices)
    {
        var flat = Event(originalId, openId, createTime, "subscribe_msg_popup_event");
        var sb = new StringBuilder("<SubscribeMsgPopupEvent>");
        foreach (var (templateId, status) in choices)
        {
            sb.Append("<List>");
            Cdata(sb, "TemplateId", templateId);
            Cdata(sb, "SubscribeStatusString", status);
            sb.Append("<PopupScene>0</PopupScene></List>");
        }
        return flat.Replace("</xml>", sb.Append("</SubscribeMsgPopupEvent></xml>").ToString(), StringComparison.Ordinal);
    }

    /// <summary><c>MASSSENDJOBFINISH</c>: WeChat's report on a mass-send job (its MsgID and the counts per follower).</summary>
    public static string MassSendJobFinish(string originalId, string fromUser, long createTime, long msgId, string status, long total, long filter,
        long sent, long error)
        => Build(originalId, fromUser, createTime, "event", ("Event", "MASSSENDJOBFINISH"), ("MsgID", msgId), ("Status", status),
            ("TotalCount", total), ("FilterCount", filter), ("SentCount", sent), ("ErrorCount", error));

    static string Build(string originalId, string openId, long createTime, string msgType, params (string Name, object Value)[] fields)
    {
        var sb = new StringBuilder("<xml>");
        Cdata(sb, "ToUserName", originalId);
        Cdata(sb, "FromUserName", openId);
        sb.Append("<CreateTime>").Append(createTime.ToString(CultureInfo.InvariantCulture)).Append("</CreateTime>");
        Cdata(sb, "MsgType", msgType);
        foreach (var (name, value) in fields)
        {
            if (value is long n) sb.Append('<').Append(name).Append('>').Append(n.ToString(CultureInfo.InvariantCulture)).Append("</").Append(name).Append('>');
            else Cdata(sb, name, (string)value);
        }
        return sb.Append("</xml>").ToString();
    }

    // "]]>" cannot appear inside CDATA: split it across two sections.
    static void Cdata(StringBuilder sb, string name, string value) =>
        sb.Append('<').Append(name).Append("><![CDATA[").Append(value.Replace("]]>", "]]]]><![CDATA[>", StringComparison.Ordinal))
          .Append("]]></").Append(name).Append('>');
}
