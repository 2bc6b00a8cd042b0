namespace WeChatMall.WeChat.OfficialAccount.Inbound;

static class EventParser
{
    public static EventMessage Parse(XmlFields f, string to, string from, long created)
    {
        var name = f.Required("Event");
        var key = f.Optional("EventKey") ?? "";
        EventMessage e = name switch
        {
            "subscribe" => new SubscribeEvent
            {
                Ticket = f.Optional("Ticket"),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
            "unsubscribe" => new UnsubscribeEvent
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
            "SCAN" => new ScanEvent
            {
                Ticket = f.Optional("Ticket"),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
            "LOCATION" => new LocationReportEvent
            {
                Latitude = f.Double("Latitude"), Longitude = f.Double("Longitude"), Precision = f.Double("Precision"),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
            "CLICK" => new ClickEvent
            {
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
            "VIEW" => new ViewEvent
            {
                MenuId = f.Optional("MenuId"),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
            "view_miniprogram" => new ViewMiniProgramEvent
            {
                MenuId = f.Optional("MenuId"),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
            "scancode_push" or "scancode_waitmsg" => ScanCode(f, to, from, created, name),
            "pic_sysphoto" or "pic_photo_or_album" or "pic_weixin" => Pictures(f, to, from, created, name),
            "location_select" => LocationSelect(f, to, from, created, name),
            "TEMPLATESENDJOBFINISH" => new TemplateSendJobFinishEvent
            {
                MsgId = f.Long("MsgID"), Status = f.Required("Status"),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
            "MASSSENDJOBFINISH" => new MassSendJobFinishEvent
            {
                MsgId = f.Long("MsgID"), Status = f.Required("Status"), TotalCount = f.OptionalLong("TotalCount"),
                FilterCount = f.OptionalLong("FilterCount"), SentCount = f.OptionalLong("SentCount"), ErrorCount = f.OptionalLong("ErrorCount"),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name,
            },
            "subscribe_msg_popup_event" => new SubscribeMsgPopupEvent
            {
                Choices = f.Element("SubscribeMsgPopupEvent").Elements("List")
                    .Select(l => new SubscribeChoice(l.Child("TemplateId") ?? "", l.Child("SubscribeStatusString") ?? "")).ToArray(),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name,
            },
            _ => new UnknownEvent
            {
                Fields = f.All(),
                ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name
            },
        };
        return e with { EventKey = key };
    }

    static ScanCodeEvent ScanCode(XmlFields f, string to, string from, long created, string name)
    {
        var info = f.Element("ScanCodeInfo");
        return new ScanCodeEvent
        {
            ScanType = f.Required("ScanType", info), ScanResult = f.Required("ScanResult", info),
            ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name,
        };
    }

    static SendPicturesEvent Pictures(XmlFields f, string to, string from, long created, string name)
    {
        var info = f.Element("SendPicsInfo");
        var sums = info.Element("PicList")?.Elements("item").Select(i => i.Child("PicMd5Sum") ?? "").ToArray() ?? [];
        return new SendPicturesEvent
        {
            Count = f.Int("Count", info), PicMd5Sums = sums,
            ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name,
        };
    }

    static LocationSelectEvent LocationSelect(XmlFields f, string to, string from, long created, string name)
    {
        var info = f.Element("SendLocationInfo");
        return new LocationSelectEvent
        {
            Latitude = f.Double("Location_X", info), Longitude = f.Double("Location_Y", info), Scale = f.Int("Scale", info),
            Label = f.Optional("Label", info) ?? "", Poiname = f.Optional("Poiname", info),
            ToUserName = to, FromUserName = from, CreateTime = created, MsgType = "event", Event = name,
        };
    }
}
