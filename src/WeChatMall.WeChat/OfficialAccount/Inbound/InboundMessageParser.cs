namespace WeChatMall.WeChat.OfficialAccount.Inbound;

/// <summary>
/// Parses a plaintext (or decrypted) pushed message into a typed record (docs/wechat-protocol.md#inbound-messages). Unknown MsgType/Event values become
/// <see cref="UnknownMessage"/>/<see cref="UnknownEvent"/> instead of failing, because WeChat keeps adding events.
/// </summary>
public static class InboundMessageParser
{
    public static InboundMessage Parse(string xml, int maxCharacters = SafeXml.DefaultMaxCharacters)
    {
        var f = XmlFields.Parse(xml, maxCharacters);
        var to = f.Required("ToUserName");
        var from = f.Required("FromUserName");
        var created = f.Long("CreateTime");
        var type = f.Required("MsgType");
        return type switch
        {
            "text" => new TextMessage
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = type,
                MsgId = f.Long("MsgId"), Content = f.Required("Content")
            },
            "image" => new ImageMessage
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = type,
                MsgId = f.Long("MsgId"), PicUrl = f.Required("PicUrl"), MediaId = f.Required("MediaId")
            },
            "voice" => new VoiceMessage
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = type,
                MsgId = f.Long("MsgId"), MediaId = f.Required("MediaId"), Format = f.Required("Format"), Recognition = f.Optional("Recognition")
            },
            "video" => new VideoMessage
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = type,
                MsgId = f.Long("MsgId"), MediaId = f.Required("MediaId"), ThumbMediaId = f.Required("ThumbMediaId")
            },
            "shortvideo" => new ShortVideoMessage
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = type,
                MsgId = f.Long("MsgId"), MediaId = f.Required("MediaId"), ThumbMediaId = f.Required("ThumbMediaId")
            },
            "location" => new LocationMessage
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = type,
                MsgId = f.Long("MsgId"), Latitude = f.Double("Location_X"), Longitude = f.Double("Location_Y"), Scale = f.Int("Scale"), Label = f.Optional("Label") ?? ""
            },
            "link" => new LinkMessage
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = type,
                MsgId = f.Long("MsgId"), Title = f.Required("Title"), Description = f.Optional("Description") ?? "", Url = f.Required("Url")
            },
            "event" => EventParser.Parse(f, to, from, created),
            _ => new UnknownMessage { ToUserName = to, FromUserName = from, CreateTime = created, MsgType = type, Fields = f.All() },
        };
    }
}
