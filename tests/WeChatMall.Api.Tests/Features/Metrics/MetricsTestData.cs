using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Metrics;

/// <summary>
/// A small shop in March 2025 whose every figure is worked out by hand in the tests (docs/metrics.md has the
/// definitions). Times are given in China time and stored in UTC, some of them on purpose near midnight.
/// </summary>
public sealed class MetricsTestData
{
    public long M1 { get; private set; }
    public long M2 { get; private set; }
    public long M3 { get; private set; }
    public long M4 { get; private set; }
    public long Prospect { get; private set; }

    /// <summary>A China-time wall clock as the UTC value the database holds.</summary>
    public static DateTime China(string local) =>
        DateTime.ParseExact(local, "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture).AddHours(-8);

    public static async Task<ApiFactory> StartAsync() =>
        await ApiFactory.StartAsync(new Dictionary<string, string?> { ["Jobs:MetricsRollup:Enabled"] = "false" });

    public static async Task<MetricsTestData> SeedAsync(ApiFactory api)
    {
        var d = new MetricsTestData();
        // Members: M1, M2 on 1 March (M2 at 23:30), M3 at 00:30 on 2 March (still 1 March in UTC); a prospect (phone only)
        // and a member merged away, neither of which counts.
        d.M1 = await MemberAsync(api, "2025-03-01 10:00", "o_m1");
        d.M2 = await MemberAsync(api, "2025-03-01 23:30", "o_m2");
        d.M3 = await MemberAsync(api, "2025-03-02 00:30", "o_m3");
        d.M4 = await MemberAsync(api, "2025-04-01 10:00", "o_m4");
        d.Prospect = await MemberAsync(api, "2025-03-02 12:00", null, phone: "+8613800000001");
        var merged = await MemberAsync(api, "2025-03-02 13:00", null);
        await api.ScalarAsync<int>("UPDATE members SET merged_into = @m1, merged_at = @at WHERE id = @merged",
            new { m1 = d.M1, at = China("2025-03-03 09:00"), merged });

        // Followers: two new on 1 March, one on 2 March at 07:59 (1 March 23:59 UTC); F2 unfollows on 2 March.
        await FollowerAsync(api, "o_f1", "2025-03-01 09:00", null);
        await FollowerAsync(api, "o_f2", "2025-03-01 20:00", "2025-03-02 10:00");
        await FollowerAsync(api, "o_f3", "2025-03-02 07:59", null);

        // Orders (payable, refunded): M1 100 yuan, then 50 of which 20 refunded, then 200 on day 70.
        await OrderAsync(api, d.M1, "2025-03-01 12:00", 10_000, 0);
        await OrderAsync(api, d.M1, "2025-03-20 12:00", 5_000, 2_000);
        await OrderAsync(api, d.M1, "2025-05-10 12:00", 20_000, 0);
        // M2: 30 yuan at 23:59, then 70 yuan fully refunded a minute after midnight, and an unpaid order.
        await OrderAsync(api, d.M2, "2025-03-01 23:59", 3_000, 0);
        await OrderAsync(api, d.M2, "2025-03-02 00:01", 7_000, 7_000);
        await OrderAsync(api, d.M2, null, 9_999, 0);
        // M3: 600 yuan, 10 yuan three days later, 1,000 yuan in August (day 152).
        await OrderAsync(api, d.M3, "2025-03-02 10:00", 60_000, 0);
        await OrderAsync(api, d.M3, "2025-03-05 10:00", 1_000, 0);
        await OrderAsync(api, d.M3, "2025-08-01 10:00", 100_000, 0);
        // M4 (April): one order of 50 yuan, alone in its cohort day, never bought again.
        await OrderAsync(api, d.M4, "2025-04-02 10:00", 5_000, 0);

        // Imported marketplace orders: 50 yuan matched to M1 and 80 unclaimed on 1 March, 20 yuan held by the prospect on 2 March.
        var import = await api.ScalarAsync<long>("""
            INSERT INTO marketplace_imports (platform, data_rows, imported, matched, prospects, new_prospects, unclaimed, duplicates, rejected,
                rejections, created_at) VALUES ('tmall', 3, 3, 1, 1, 0, 1, 0, 0, '[]', UTC_TIMESTAMP(3));
            SELECT LAST_INSERT_ID();
            """);
        await ImportedAsync(api, import, "K1", "2025-03-01 08:00", 5_000, d.M1, "matched");
        await ImportedAsync(api, import, "K2", "2025-03-01 21:00", 8_000, null, "unclaimed");
        await ImportedAsync(api, import, "K3", "2025-03-02 09:00", 2_000, d.Prospect, "prospect");
        return d;
    }

    static async Task<long> MemberAsync(ApiFactory api, string created, string? openId, string? phone = null)
    {
        var id = await api.ScalarAsync<long>("""
            INSERT INTO members (invite_code, created_at, updated_at) VALUES (LEFT(REPLACE(UUID(), '-', ''), 12), @at, @at);
            SELECT LAST_INSERT_ID();
            """, new { at = China(created) });
        if (openId is not null) await IdentityAsync(api, id, "mp_openid", openId + "_" + api.Database);
        if (phone is not null) await IdentityAsync(api, id, "phone", phone);
        return id;
    }

    static Task IdentityAsync(ApiFactory api, long memberId, string kind, string value) => api.ScalarAsync<int>(
        "INSERT INTO member_identities (member_id, kind, value, created_at) VALUES (@memberId, @kind, @value, UTC_TIMESTAMP(3))",
        new { memberId, kind, value });

    static Task FollowerAsync(ApiFactory api, string openId, string subscribed, string? unsubscribed) => api.ScalarAsync<int>("""
        INSERT INTO followers (openid, state, first_subscribed_at, last_subscribed_at, unsubscribed_at, created_at, updated_at)
        VALUES (@openId, @state, @sub, @sub, @unsub, @sub, COALESCE(@unsub, @sub))
        """, new
    {
        openId, state = unsubscribed is null ? "subscribed" : "unsubscribed", sub = China(subscribed),
        unsub = unsubscribed is null ? (DateTime?)null : China(unsubscribed)
    });

    static int orderSeq;

    public static Task<long> OrderAsync(ApiFactory api, long memberId, string? paid, long payable, long refunded, DateTime? updatedAt = null)
    {
        var paidAt = paid is null ? (DateTime?)null : China(paid);
        var at = paidAt ?? China("2025-03-03 12:00");
        return api.ScalarAsync<long>("""
            INSERT INTO orders (order_no, member_id, status, goods_fen, payable_fen, refunded_fen, refund_state, expires_at, paid_at,
                created_at, updated_at)
            VALUES (@no, @memberId, @status, @payable, @payable, @refunded, @refundState, @at, @paidAt, @at, @updated);
            SELECT LAST_INSERT_ID();
            """, new
        {
            no = "MT" + Interlocked.Increment(ref orderSeq).ToString("D8", CultureInfo.InvariantCulture) + Random.Shared.Next(100_000, 999_999),
            memberId, status = paidAt is null ? "pending_payment" : "completed", payable, refunded,
            refundState = refunded == 0 ? "none" : refunded < payable ? "partially_refunded" : "refunded",
            at, paidAt, updated = updatedAt ?? at,
        });
    }

    static Task ImportedAsync(ApiFactory api, long importId, string no, string paid, long fen, long? memberId, string link) => api.ScalarAsync<int>("""
        INSERT INTO marketplace_orders (platform, order_no, import_id, phone_last4, amount_fen, paid_at, member_id, link, created_at, updated_at)
        VALUES ('tmall', @no, @importId, '0001', @fen, @paid, @memberId, @link, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3))
        """, new { no, importId, fen, paid = China(paid), memberId, link });

    public static async Task<JsonElement> GetAsync(ApiFactory api, string path)
    {
        using var admin = api.CreateAdminClient();
        var response = await admin.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement;
    }

    public static async Task<JsonElement> PostAsync(ApiFactory api, string path)
    {
        using var admin = api.CreateAdminClient();
        var response = await admin.PostAsync(path, JsonContent.Create(new { }));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That((int)response.StatusCode, Is.EqualTo(200), body);
        return JsonDocument.Parse(body).RootElement;
    }
}
