using Dapper;
using Microsoft.Extensions.Options;
using MySqlConnector;
using StackExchange.Redis;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.WeChat.OfficialAccount.Inbound;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// A follower sends a product code as a text message to the Official Account: if their openid is bound to a member
/// (an <c>oa_openid</c> identity, from web OAuth) the code is claimed for that member, exactly as
/// POST /api/me/product-codes/claim does; otherwise the reply says how to bind. Called by the callback before the
/// auto-reply engine, only for text in the code format (16 code symbols, with or without dashes and spaces), so every
/// other message goes to the auto-replies untouched. Failed claims count per openid (and per member when bound)
/// against the same limits as the API, so the chat cannot be used to guess codes.
/// </summary>
public sealed class ClaimCodeByMessage(MySqlDataSource db, IDatabase redis, IOptions<MemberOptions> options, IOptions<RedisOptions> redisOptions,
    TimeProvider time, ILogger<ClaimCodeByMessage> logger)
{
    // The callback answers within its budget: the failure counters wait for Redis no longer than its other calls do.
    TimeSpan RedisBudget => redisOptions.Value.CallTimeout;

    const string MemberSql = "SELECT member_id FROM member_identities WHERE kind = 'oa_openid' AND value = @openId";

    const string BusyReply = "系统繁忙，兑换码没有使用，请稍后再发送一次。";

    /// <summary>What the follower message log stores instead of the code.</summary>
    public const string LoggedContent = "[product code]";

    /// <summary>The text to answer with, or null when the message is not a product code (auto-replies handle it).</summary>
    /// <param name="redisDown">Redis is known to be down: the failure limits cannot be checked, so nothing is claimed.</param>
    public async Task<string?> TryAnswerAsync(InboundMessage message, CancellationToken ct, bool redisDown = false)
    {
        if (!Handles(message)) return null;
        var content = ((TextMessage)message).Content;
        if (redisDown)
        {
            Log.CodeMessageFailed(logger, "Redis unavailable");
            return BusyReply;
        }
        try
        {
            return await AnswerAsync(message.FromUserName, content, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && (ex is MySqlException || MemberSessions.IsOutage(ex)))
        {
            // Nothing was claimed (the transaction rolled back); the follower can simply send the code again.
            Log.CodeMessageFailed(logger, ex.GetType().Name);
            return BusyReply;
        }
    }

    async Task<string> AnswerAsync(string openId, string content, CancellationToken ct)
    {
        var o = options.Value;
        // The lookup's connection goes back to the pool before the claim opens its own (no two held per message).
        long? bound;
        await using (var c = await db.OpenConnectionAsync(ct))
            bound = await c.ExecuteScalarAsync<long?>(new CommandDefinition(MemberSql, new { openId }, cancellationToken: ct));
        if (bound is not { } memberId)
            return o.CodeMessageBindUrl is { Length: > 0 } url
                ? $"要用兑换码领取积分，请先绑定会员：{url} 绑定后再发送一次兑换码。"
                : "要用兑换码领取积分，请先在商城登录绑定会员，然后再发送一次兑换码。";
        (RedisKey Key, int Limit)[] keys =
            [(RedisKeys.CodeClaimFailuresOpenId(openId), o.CodeClaimFailuresPerWindow), (RedisKeys.CodeClaimFailuresMember(memberId), o.CodeClaimFailuresPerWindow)];
        if (await ClaimProductCode.FirstExhaustedAsync(redis, keys, ct, RedisBudget) is not null)
        {
            Log.CodeClaimThrottled(logger, memberId);
            return $"兑换码尝试次数过多，请 {o.CodeClaimWindowMinutes} 分钟后再试。";
        }

        var outcome = await ClaimProductCode.ClaimWithRetryAsync(db, memberId, ProductCode.Normalize(content), time.GetUtcNow().UtcDateTime, ct);
        await ClaimProductCode.CountIfFailedAsync(redis, outcome, keys, o, ct, RedisBudget);
        switch (outcome)
        {
            case ClaimProductCode.Claimed ok:
                Log.CodeClaimed(logger, memberId, ok.CodeId, ok.Points);
                return $"兑换成功：获得 {ok.Points} 积分，当前积分 {ok.Balance}。";
            case ClaimProductCode.AlreadyYours:
                return "这个兑换码您已经领取过了，积分已在您的账户中。";
            case ClaimProductCode.ClaimedByOther:
                return "这个兑换码已被领取，每个兑换码只能使用一次。";
            case ClaimProductCode.Expired:
                return "这个兑换码已过期或已失效。";
            case ClaimProductCode.MemberGone:
                return "您的会员账户已合并，请重新登录后再发送兑换码。";
            default:
                return "没有找到这个兑换码，请核对包装上的兑换码后重新发送。";
        }
    }

    /// <summary>16 code symbols once spaces and dashes are removed (the printed form is XXXX-XXXX-XXXX-XXXX).</summary>
    /// <summary>A text message in the product-code format: answering it claims in MySQL (see the callback's handler).</summary>
    public static bool Handles(InboundMessage message) => message is TextMessage { Content: var content } && LooksLikeCode(content);

    static bool LooksLikeCode(string content) => content.Length <= 32 && ProductCode.Normalize(content) is not null;
}

static partial class Log
{
    [LoggerMessage(7024, LogLevel.Warning, "A product code sent to the Official Account could not be handled: {Error}")]
    public static partial void CodeMessageFailed(ILogger logger, string error);
}
