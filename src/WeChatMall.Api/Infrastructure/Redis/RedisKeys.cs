namespace WeChatMall.Api.Infrastructure.Redis;

/// <summary>
/// Every Redis key name the API uses, in one place. Keys are relative: the prefix is applied by
/// <c>WithKeyPrefix</c> on the registered <see cref="StackExchange.Redis.IDatabase"/>; pub/sub channels
/// are not prefixed by it, so <see cref="Channel"/> adds the prefix itself.
/// </summary>
public sealed class RedisKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Channel(string name) => Prefix + "channel:" + name;

    /// <summary>Full prefix of HybridCache L2 entries (RedisCache applies it itself, not WithKeyPrefix).</summary>
    public string CacheInstance => Prefix + "cache:";

    public static string CatalogGeneration => "catalog:generation";

    /// <summary>A member session, keyed by the SHA-256 of the bearer token (hex) so Redis never holds a usable token.</summary>
    public static string MemberSession(string tokenHash) => "member:session:" + tokenHash;
    public static string MemberSessionIndex(long memberId) => "member:sessions:" + memberId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string AccessToken(string appId) => "wechat:token:" + appId;
    public static string AccessTokenRefreshLock(string appId) => "wechat:token-lock:" + appId;

    public static string AutoReplyVersion => "autoreply:version";
    public static string AutoReplyRules(long version) => "autoreply:rules:v" + version;

    // The callback's keys share the hash tag {cb}: its one-step script (CallbackGate) touches the nonce, the reply and
    // the event stream at once, which Redis Cluster allows only within one hash slot (else CROSSSLOT).

    /// <summary>The first body hash seen with a callback's (timestamp, nonce): replay protection.</summary>
    public static string CallbackNonce(string timestamp, string nonce) => $"{{cb}}:nonce:{timestamp}:{nonce}";
    /// <summary>The reply given to a callback message, returned again to WeChat's retries.</summary>
    public static string CallbackReply(string dedupKey) => "{cb}:reply:" + dedupKey;
    /// <summary>Stream of handled callback events waiting to be written to MySQL.</summary>
    public static string CallbackEvents => "{cb}:events";
    /// <summary>The stream's name before the hash tag; what an older version left there is moved over at start.</summary>
    public static string LegacyCallbackEvents => "cb:events";

    /// <summary>A pending web OAuth authorization, keyed by its single-use state; consumed with GETDEL by the callback.</summary>
    public static string OAuthState(string state) => "member:oauth:" + state;
    /// <summary>OAuth states started by one client IP in the current window (INCR, expires with the window).</summary>
    public static string OAuthStatesOfClient(string ip) => "member:oauth-client:" + ip;

    /// <summary>Failed product-code claims by one member in the current window (INCR, expires with the window).</summary>
    public static string CodeClaimFailuresMember(long memberId) => "member:code-fail:m:" + memberId;
    /// <summary>Failed product-code claims from one client IP in the current window.</summary>
    public static string CodeClaimFailuresIp(string ip) => "member:code-fail:ip:" + ip;

    /// <summary>
    /// A request rate-limit window (<c>RateLimitEndpoints</c>): rl:/// A request rate-limit window (<c>RateLimitFilter</c>): <c>rl:{policy}:{{subject}}</c>. The subject is the hash tag,lt;policy/// A request rate-limit window (<c>RateLimitFilter</c>): <c>rl:{policy}:{{subject}}</c>. The subject is the hash tag,gt;:{/// A request rate-limit window (<c>RateLimitFilter</c>): <c>rl:{policy}:{{subject}}</c>. The subject is the hash tag,lt;subject/// A request rate-limit window (<c>RateLimitFilter</c>): <c>rl:{policy}:{{subject}}</c>. The subject is the hash tag,gt;}. The subject is the hash tag,
    /// so on Redis Cluster all counters of one member or IP share a slot.
    /// </summary>
    public static string RateLimit(string policy, string subject) => "rl:" + policy + ":{" + subject + "}";

    /// <summary>Failed marketplace order claims by one member in the current window (RedisWindow).</summary>
    public static string MarketplaceClaimFailuresMember(long memberId) => "mkt:claim-fail:m:" + memberId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    /// <summary>Failed marketplace order claims from one client IP in the current window.</summary>
    public static string MarketplaceClaimFailuresIp(string ip) => "mkt:claim-fail:ip:" + ip;

    /// <summary>
    /// A SKU's flash-sale stock gate (hash: on, stock, limit, gen), the units each member holds of it (hash), its
    /// invalidation counter and its rebuild lock. The {sku:N} hash tag keeps the four in one Redis Cluster slot, so
    /// one Lua script may touch them all.
    /// </summary>
    public static string FlashGate(long skuId) => "flash:" + SkuTag(skuId);
    public static string FlashHeld(long skuId) => "flash:" + SkuTag(skuId) + ":held";
    public static string FlashEpoch(long skuId) => "flash:" + SkuTag(skuId) + ":epoch";
    public static string FlashRebuildLock(long skuId) => "flash:" + SkuTag(skuId) + ":rebuild";
    static string SkuTag(long skuId) => "{sku:" + skuId.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";

    /// <summary>Failed product-code claims sent as messages by one Official Account follower (INCR + EXPIRE window).</summary>
    public static string CodeClaimFailuresOpenId(string openId) => "member:code-fail:oa:" + openId;

    /// <summary>An operator's console session (hash), keyed by the SHA-256 of the cookie value (hex).</summary>
    public static string AdminSession(string tokenHash) => "admin:session:" + tokenHash;
    /// <summary>The session hashes of one operator, so a role or password change can end them all.</summary>
    public static string AdminSessionIndex(long operatorId) => "admin:sessions:" + operatorId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    /// <summary>Failed console sign-ins for one username in the current lockout window.</summary>
    public static string AdminSignInFailuresAccount(string username) => "admin:signin-fail:u:" + username;
    /// <summary>Failed console sign-ins from one client IP in the current lockout window.</summary>
    public static string AdminSignInFailuresIp(string ip) => "admin:signin-fail:ip:" + ip;

    /// <summary>Campaign sends of a channel in one UTC minute (QuotaGovernor); the channel is the hash tag, shared with the day key.</summary>
    public static string CampaignQuotaMinute(string channel, string minute) => "campaign:quota:{" + channel + "}:m:" + minute;
    /// <summary>Campaign sends of a channel on one China-time day (WeChat's daily quotas reset at 00:00 China time).</summary>
    public static string CampaignQuotaDay(string channel, string day) => "campaign:quota:{" + channel + "}:d:" + day;
}
