using System.Globalization;

namespace WeChatMall.Sandbox.OfficialAccount;

/// <summary>
/// WeChat's mass-send rules (developers.weixin.qq.com/doc/offiaccount/Message_Management/Batch_Sends_and_Originality_Checks.html):
/// a service account's follower receives at most 4 mass messages per calendar month (China time; a send beyond that
/// is filtered for that follower, FilterCount), a clientmsgid seen within 24 hours is not sent again (45065, with the
/// earlier job's msg_id), and previews to one follower have a daily limit of their own.
/// Thread-safe.
/// </summary>
public sealed class MassRules(TimeProvider time)
{
    public const int MonthlyCap = 4;

    /// <summary>Previews a day (China time); WeChat documents 100 a day for previews.</summary>
    public const int PreviewDailyLimit = 100;

    readonly Lock _lock = new();
    readonly Dictionary<(string OpenId, string Month), int> _received = [];
    readonly Dictionary<string, (long MsgId, DateTimeOffset At)> _clientMsgIds = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> _previews = new(StringComparer.Ordinal);

    public void Reset()
    {
        lock (_lock)
        {
            _received.Clear();
            _clientMsgIds.Clear();
            _previews.Clear();
        }
    }

    /// <summary>
    /// The msg_id of the job sent with this clientmsgid within 24 hours (WeChat refuses the send with 45065 and names that
    /// job's msg_id); else null, and the clientmsgid is remembered for <paramref name="msgId"/>.
    /// </summary>
    public long? Repeated(string? clientMsgId, long msgId)
    {
        if (string.IsNullOrEmpty(clientMsgId)) return null;
        lock (_lock)
        {
            var now = time.GetUtcNow();
            if (_clientMsgIds.TryGetValue(clientMsgId, out var seen) && now - seen.At < TimeSpan.FromHours(24)) return seen.MsgId;
            _clientMsgIds[clientMsgId] = (msgId, now);
            return null;
        }
    }

    /// <summary>
    /// Counts one preview (message/mass/preview) for the China day; false when <paramref name="dailyLimit"/> were already
    /// sent that day (WeChat answers 45009). Previews do not count toward the monthly cap.
    /// </summary>
    public bool TakePreview(int dailyLimit)
    {
        var day = time.GetUtcNow().ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        lock (_lock)
        {
            var had = _previews.GetValueOrDefault(day);
            if (had >= dailyLimit) return false;
            _previews[day] = had + 1;
            return true;
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
