using WeChatMall.WeChat.Api;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// WeChat's rules for sends to users, kept per follower: the template registry (template messages and mini-program
/// subscribe templates), subscribe credits (one accepted one-time subscription = one send, 43101 without), the
/// customer-service window (5 messages within 48 h after the follower wrote, 3 within 1 min after a follow, scan or
/// click; 45015 outside, 45047 when the count is spent) and template client_msg_id de-duplication (10 minutes).
/// Only templates in the registry get the template and credit rules; an id the sandbox does not know is delivered as
/// before (WeChat would answer 40037), so demos and tests that never registered their template keep working.
/// Thread-safe.
/// </summary>
public sealed class MessageRules(TimeProvider time)
{
    public sealed record Template(string Kind, string TemplateId, string Title, string Content);

    public const string OaKind = "oa";
    public const string SubscribeKind = "subscribe";

    /// <summary>Seeded templates, two of each kind, for campaigns and the demo.</summary>
    public static readonly Template[] Seeded =
    [
        new(OaKind, "tmpl_order_shipped_01", "订单发货提醒", "订单号：{{character_string1.DATA}}\n快递：{{thing2.DATA}}\n时间：{{time3.DATA}}"),
        new(OaKind, "tmpl_points_expiring_01", "积分到期提醒", "会员：{{thing1.DATA}}\n积分：{{number2.DATA}}\n到期：{{date3.DATA}}"),
        new(SubscribeKind, "sub_order_shipped_0001", "订单发货通知", "商品：{{thing1.DATA}}\n状态：{{phrase2.DATA}}\n时间：{{date3.DATA}}"),
        new(SubscribeKind, "sub_activity_0001", "活动提醒", "活动：{{thing1.DATA}}\n说明：{{thing2.DATA}}"),
    ];

    readonly Lock _lock = new();
    readonly Dictionary<(string Kind, string Id), Template> _templates = [];
    readonly Dictionary<(string OpenId, string TemplateId), int> _credits = [];
    readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    readonly Dictionary<(string OpenId, string ClientMsgId), (long MsgId, DateTimeOffset At)> _clientMsgIds = [];

    sealed record Window(DateTimeOffset Until, int Left);

    public void Reset()
    {
        lock (_lock)
        {
            _templates.Clear(); _credits.Clear(); _windows.Clear(); _clientMsgIds.Clear();
            foreach (var t in Seeded) _templates[(t.Kind, t.TemplateId)] = t;
        }
    }

    public void AddTemplate(Template t)
    {
        lock (_lock) _templates[(t.Kind, t.TemplateId)] = t;
    }

    public IReadOnlyList<Template> Templates(string kind)
    {
        lock (_lock) return [.. _templates.Values.Where(t => t.Kind == kind).OrderBy(t => t.TemplateId, StringComparer.Ordinal)];
    }

    /// <summary>The member accepted a one-time subscription: one more send of that template.</summary>
    public int AddCredit(string openId, string templateId)
    {
        lock (_lock) return _credits[(openId, templateId)] = _credits.GetValueOrDefault((openId, templateId)) + 1;
    }

    public int Credits(string openId, string templateId)
    {
        lock (_lock) return _credits.GetValueOrDefault((openId, templateId));
    }

    /// <summary>Spends a credit for a subscribe send: 0 when done, else the errcode WeChat answers.</summary>
    public int SpendSubscribe(string openId, string templateId, IReadOnlyDictionary<string, string> data)
    {
        lock (_lock)
        {
            if (!_templates.ContainsKey((SubscribeKind, templateId))) return 0; // not registered here: delivered without the rules
            if (TemplateFieldRules.CheckSubscribe(data).Count > 0) return 47003;
            var left = _credits.GetValueOrDefault((openId, templateId));
            if (left <= 0) return 43101;
            _credits[(openId, templateId)] = left - 1;
            return 0;
        }
    }

    /// <summary>A template send: the msgid of an earlier send with the same client_msg_id (within 10 minutes), else null.</summary>
    public long? Duplicate(string openId, string? clientMsgId)
    {
        if (string.IsNullOrEmpty(clientMsgId)) return null;
        lock (_lock)
            return _clientMsgIds.TryGetValue((openId, clientMsgId), out var seen) && time.GetUtcNow() - seen.At < TimeSpan.FromMinutes(10)
                ? seen.MsgId : null;
    }

    public void Remember(string openId, string? clientMsgId, long msgId)
    {
        if (string.IsNullOrEmpty(clientMsgId)) return;
        lock (_lock) _clientMsgIds[(openId, clientMsgId)] = (msgId, time.GetUtcNow());
    }

    /// <summary>The follower wrote (48 h, 5 messages) or followed, scanned or clicked (1 min, 3 messages).</summary>
    public void Interacted(string openId, bool message)
    {
        var now = time.GetUtcNow();
        var window = message ? new Window(now.AddHours(48), 5) : new Window(now.AddMinutes(1), 3);
        lock (_lock)
            if (!_windows.TryGetValue(openId, out var open) || open.Until < window.Until) _windows[openId] = window;
    }

    /// <summary>Takes one customer-service message from the follower's window: 0, 45015 (closed) or 45047 (count spent).</summary>
    public int TakeCustom(string openId)
    {
        lock (_lock)
        {
            if (!_windows.TryGetValue(openId, out var w) || w.Until <= time.GetUtcNow()) return 45015;
            if (w.Left <= 0) return 45047;
            _windows[openId] = w with { Left = w.Left - 1 };
            return 0;
        }
    }
}
