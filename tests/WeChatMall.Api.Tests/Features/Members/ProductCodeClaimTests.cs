using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.ProductCodeTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class ProductCodeClaimTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    static Task<long> LedgerCountAsync(long codeId) =>
        Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE idempotency_key = @key", new { key = "code:" + codeId });

    static Task<long> CodeIdAsync(long batchId) =>
        Api.ScalarAsync<long>("SELECT MIN(id) FROM product_codes WHERE batch_id = @batchId", new { batchId });

    [Test]
    public async Task Claim_ValidCode_CreditsPointsOnceAndShowsInMePoints()
    {
        var batch = await CreateBatchAsync(points: 120, count: 1);
        using var member = await LoginAsync();

        var response = await ClaimAsync(member.Client, batch.Codes[0]);
        var body = await ReadAsync(response);
        var history = await ReadAsync(await member.Client.GetAsync("/api/me/points"));
        var me = await ReadAsync(await member.Client.GetAsync("/api/me"));
        var codeId = await CodeIdAsync(batch.Id);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("points").GetInt64(), Is.EqualTo(120));
            Assert.That(body.GetProperty("balance").GetInt64(), Is.EqualTo(120));
            Assert.That(me.GetProperty("pointsBalance").GetInt64(), Is.EqualTo(120));
            Assert.That(history.GetProperty("items")[0].GetProperty("delta").GetInt64(), Is.EqualTo(120));
            Assert.That(await Api.ScalarAsync<long?>("SELECT claimed_by FROM product_codes WHERE id = @codeId", new { codeId }), Is.EqualTo(member.MemberId));
            Assert.That(await LedgerCountAsync(codeId), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Claim_SameCodeAgainBySameAndByOtherMember_Returns409AndCreditsOnce()
    {
        var batch = await CreateBatchAsync(points: 40, count: 1);
        using var first = await LoginAsync();
        using var second = await LoginAsync();

        var ok = await ClaimAsync(first.Client, batch.Codes[0]);
        var again = await ClaimAsync(first.Client, batch.Codes[0]);
        var other = await ClaimAsync(second.Client, batch.Codes[0]);
        var againBody = await ReadAsync(again);
        var otherBody = await ReadAsync(other);

        Assert.Multiple(async () =>
        {
            Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(againBody.GetProperty("code").GetString(), Is.EqualTo("CODE_ALREADY_CLAIMED"));
            Assert.That(otherBody.GetProperty("code").GetString(), Is.EqualTo("CODE_ALREADY_CLAIMED"));
            Assert.That(againBody.GetProperty("title").GetString(), Does.Contain("You have already claimed"));
            Assert.That(otherBody.GetProperty("title").GetString(), Does.Not.Contain("You have"));
            Assert.That(await LedgerCountAsync(await CodeIdAsync(batch.Id)), Is.EqualTo(1));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = first.MemberId }), Is.EqualTo(40));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = second.MemberId }), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task Claim_20MembersConcurrently_ExactlyOneCreditAnd19Refusals()
    {
        var batch = await CreateBatchAsync(points: 77, count: 1);
        var members = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => LoginAsync()));
        try
        {
            var responses = await Task.WhenAll(members.Select(m => Task.Run(() => ClaimAsync(m.Client, batch.Codes[0]))));
            var winners = members.Zip(responses).Where(p => p.Second.StatusCode == HttpStatusCode.OK).Select(p => p.First).ToList();
            var ids = members.Select(m => m.MemberId).ToArray();

            Assert.Multiple(async () =>
            {
                Assert.That(winners, Has.Count.EqualTo(1));
                Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(19));
                Assert.That(await LedgerCountAsync(await CodeIdAsync(batch.Id)), Is.EqualTo(1));
                Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM points_ledger WHERE member_id IN @ids", new { ids }), Is.EqualTo(1));
                Assert.That(await Api.ScalarAsync<decimal>("SELECT SUM(points_balance) FROM members WHERE id IN @ids", new { ids }), Is.EqualTo(77));
                Assert.That(await Api.ScalarAsync<long?>("SELECT claimed_by FROM product_codes WHERE batch_id = @id", new { id = batch.Id }), Is.EqualTo(winners[0].MemberId));
                Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = winners[0].MemberId }), Is.EqualTo(77));
            });
        }
        finally
        {
            foreach (var m in members) m.Dispose();
        }
    }

    [Test]
    public async Task Claim_UnknownOrMalformedCode_Returns404()
    {
        using var member = await LoginAsync();

        var unknown = await ClaimAsync(member.Client, "ZZZZ-ZZZZ-ZZZZ-ZZZZ");
        var malformed = await ClaimAsync(member.Client, "not a code");

        Assert.Multiple(async () =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await ReadAsync(unknown)).GetProperty("code").GetString(), Is.EqualTo("CODE_NOT_FOUND"));
            Assert.That(malformed.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task Claim_DisabledBatch_Returns410AndCreditsNothing()
    {
        var batch = await CreateBatchAsync(count: 2);
        using var admin = Api.CreateAdminClient();
        var disabled = await admin.PostAsync($"/admin/product-codes/batches/{batch.Id}/disable", null);
        using var member = await LoginAsync();

        var response = await ClaimAsync(member.Client, batch.Codes[0]);

        Assert.Multiple(async () =>
        {
            Assert.That(disabled.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await ReadAsync(disabled)).GetProperty("disabledAt").GetDateTime(), Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("CODE_EXPIRED"));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM product_codes WHERE batch_id = @id AND claimed_by IS NOT NULL", new { id = batch.Id }), Is.EqualTo(0));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(0));
        });
    }

    [Test]
    public async Task Claim_ExpiredBatch_Returns410()
    {
        var batch = await CreateBatchAsync(count: 1, expiresAt: DateTime.UtcNow.AddSeconds(2));
        await Api.ScalarAsync<long>("UPDATE product_code_batches SET expires_at = @past WHERE id = @id", new { past = DateTime.UtcNow.AddMinutes(-1), id = batch.Id });
        using var member = await LoginAsync();

        var response = await ClaimAsync(member.Client, batch.Codes[0]);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
    }

    [Test]
    public async Task Claim_LowerCaseSpacedAndLookAlikes_NormalizesToTheCode()
    {
        var batch = await CreateBatchAsync(points: 10, count: 20);
        // A code containing 0 or 1, typed with O / I / L, lower case, spaces instead of dashes.
        var code = batch.Codes.FirstOrDefault(c => c.Contains('0') || c.Contains('1')) ?? batch.Codes[0];
        var typed = "  " + code.Replace("-", " ").ToLowerInvariant().Replace('0', 'o').Replace('1', 'l') + " ";
        using var member = await LoginAsync();

        var response = await ClaimAsync(member.Client, typed);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = member.MemberId }), Is.EqualTo(10));
        });
    }

    [Test]
    public async Task Claim_WithAnotherMembersSession_CreditsTheCallerOnly()
    {
        var batch = await CreateBatchAsync(points: 25, count: 1);
        using var owner = await LoginAsync();
        using var caller = await LoginAsync();
        using var anonymous = Api.CreateClient();

        var noSession = await ClaimAsync(anonymous, batch.Codes[0]);
        // A member id in the body is not an input: the session decides who is credited.
        var claimed = await caller.Client.PostAsJsonAsync("/api/me/product-codes/claim", new { code = batch.Codes[0], memberId = owner.MemberId });
        var ownerTries = await ClaimAsync(owner.Client, batch.Codes[0]);

        Assert.Multiple(async () =>
        {
            Assert.That(noSession.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(claimed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(ownerTries.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That(await Api.ScalarAsync<long?>("SELECT claimed_by FROM product_codes WHERE batch_id = @id", new { id = batch.Id }), Is.EqualTo(caller.MemberId));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = caller.MemberId }), Is.EqualTo(25));
            Assert.That(await Api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @id", new { id = owner.MemberId }), Is.EqualTo(0));
        });
    }
}
