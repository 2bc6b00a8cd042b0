using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using WeChatMall.Api.Features.Offers;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Offers.OfferTestData;

namespace WeChatMall.Api.Tests.Features.Offers;

/// <summary>Prize stock is never oversold, every draw is recorded and can be recomputed from its seed (issue #19).</summary>
public sealed class LuckyDrawTests
{
    static ApiFactory Api => TestEnvironment.Api;

    static async Task<long> NewDrawAsync(object prizes, int dailyLimit = 10, long pointsPerDraw = 0)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/offers/draws", new { title = "weekly", dailyLimit, pointsPerDraw, prizes });
        var json = await ReadAsync(response);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), json.ToString());
        return json.GetProperty("id").GetInt64();
    }

    static async Task GiveChancesAsync(long memberId, int chances)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/offers/draw-chances", new { memberId, chances });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await response.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task FiveHundredConcurrentDraws_OnAPrizeWithStock5_AtMost5Won_EveryDrawRecorded()
    {
        // The prize is certain to be picked (weight 1 of 1): only its stock decides.
        var drawId = await NewDrawAsync(new[] { new { title = "100 points", kind = "points", points = 100L, weight = 1, stock = (int?)5 } });
        var members = new List<OfferMember>();
        for (var i = 0; i < 50; i++)
        {
            members.Add(await NewMemberAsync(Api));
            await GiveChancesAsync(members[^1].MemberId, 10);
        }
        var statuses = new ConcurrentBag<HttpStatusCode>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 500), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            statuses.Add((await members[i % 50].Client.PostAsync($"/api/draws/{drawId}/draw", null, ct)).StatusCode));
        var records = await Api.QueryAsync<(string Outcome, long Count)>(
            "SELECT outcome, COUNT(*) FROM draw_records WHERE draw_id = @drawId GROUP BY outcome", new { drawId });
        var won = records.Where(r => r.Outcome == "won").Sum(r => r.Count);
        var points = await Api.ScalarAsync<long>(
            "SELECT COALESCE(SUM(delta), 0) FROM points_ledger WHERE idempotency_key LIKE 'draw-prize:%' AND reference = @reference", new { reference = $"draw:{drawId}" });

        Assert.Multiple(async () =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.OK), "every draw is answered");
            Assert.That(won, Is.EqualTo(5), "the prize went exactly as often as its stock, never more");
            Assert.That(records.Sum(r => r.Count), Is.EqualTo(500), "every draw recorded");
            Assert.That(await Api.ScalarAsync<int>("SELECT won FROM draw_prizes WHERE draw_id = @drawId", new { drawId }), Is.EqualTo(5));
            Assert.That(points, Is.EqualTo(500), "5 × 100 points paid through the ledger");
            Assert.That(await Api.ScalarAsync<long>("SELECT COALESCE(SUM(chances), 0) FROM draw_chances WHERE member_id IN @ids",
                new { ids = members.Select(m => m.MemberId) }), Is.Zero, "each draw spent one chance");
        });
        foreach (var m in members) m.Dispose();
    }

    [Test]
    public async Task Draw_RecordsItsSeed_AndTheRollRecomputesFromIt_NoChanceIs409_DailyLimitIs429()
    {
        var drawId = await NewDrawAsync(new object[]
        {
            new { title = "thanks", kind = "none", points = 0L, weight = 3, stock = (int?)null },
            new { title = "10 points", kind = "points", points = 10L, weight = 1, stock = (int?)null },
        }, dailyLimit: 2);
        using var m = await NewMemberAsync(Api);
        var none = await m.Client.PostAsync($"/api/draws/{drawId}/draw", null);
        await GiveChancesAsync(m.MemberId, 5);
        var results = new[] { await ReadAsync(await m.Client.PostAsync($"/api/draws/{drawId}/draw", null)), await ReadAsync(await m.Client.PostAsync($"/api/draws/{drawId}/draw", null)) };
        var third = await m.Client.PostAsync($"/api/draws/{drawId}/draw", null);
        using var admin = Api.CreateAdminClient();
        var records = await ReadAsync(await admin.GetAsync($"/admin/offers/draws/{drawId}/records?memberId={m.MemberId}"));

        Assert.Multiple(async () =>
        {
            Assert.That((await ReadAsync(none)).GetProperty("code").GetString(), Is.EqualTo("DRAW_DAILY_LIMIT").Or.EqualTo("NO_DRAW_CHANCE"));
            Assert.That(none.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "no chance, no points price");
            Assert.That(third.StatusCode, Is.EqualTo((HttpStatusCode)429), "two draws a day");
            foreach (var r in results)
            {
                var roll = LuckyDraw.Roll(Convert.FromHexString(r.GetProperty("seed").GetString()!), 4);
                Assert.That(r.GetProperty("roll").GetInt64(), Is.EqualTo(roll), "the roll is SHA-256(seed) mod total weight");
                Assert.That(r.GetProperty("outcome").GetString(), Is.EqualTo(roll < 3 ? "thanks" : "won"));
            }
            Assert.That(records.GetArrayLength(), Is.EqualTo(2));
            Assert.That(records.EnumerateArray().Select(x => x.GetProperty("verified").GetBoolean()), Is.All.True);
        });
    }

    [Test]
    public void Roll_IsTheFirst8BytesOfSha256_BigEndian_ModTheTotalWeight()
    {
        var seed = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        var hash = SHA256.HashData(seed);
        var expected = (long)(BitConverter.ToUInt64([.. hash.Take(8).Reverse()]) % 1000);
        Assert.That(LuckyDraw.Roll(seed, 1000), Is.EqualTo(expected));
    }
}
