using System.Globalization;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// WeChat's mass-send rules (developers.weixin.qq.com/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html):
/// a service account's follower receives at most 4 mass messages per calendar month (China time; a send beyond that
/// is filtered for that follower, FilterCount), and a clientmsgid seen within 24 hours is not sent again (45065).
/// Thread-safe.
/// </summary>
public sealed class MassRules(TimeProvider time)
{
    public const int MonthlyCap = 4;

    readonly Lock _lock = new();
    readonly Dictionary<(string OpenId, string Month), int> _received = [];
    readonly Dictionary<string, (long MsgId, DateTimeOffset At)> _clientMsgIds = new(StringComparer.Ordinal);

    public void Reset()
    {
        lock (_lock)
        {
            _received.Clear();
            _clientMsgIds.Clear();
        }
    }

    /// <summary>True when this clientmsgid was used within 24 hours (WeChat answers 45065); else it is remembered for <paramref name="msgId"/>.</summary>
    public bool Repeated(string? clientMsgId, long msgId)
    {
        if (string.IsNullOrEmpty(clientMsgId)) return false;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_clientMsgIds.TryGetValue(clientMsgId, out var seen) && now - seen.At < TimeSpan.FromHours(24)) return true;
            _clientMsgIds[clientMsgId] = (msgId, now);
            return false;
        }
    }

    /// <summary>Counts one mass message for the follower this China month; false (filtered) when they already had <see cref="MonthlyCap"/>.</summary>
    public bool TakeMonthly(string openId)
    {
        var month = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            var had = _received.GetValueOrDefault((openId, month));
            if (had >= MonthlyCap) return false;
            _received[(openId, month)] = had + 1;
            return true;
        }
    }
}
