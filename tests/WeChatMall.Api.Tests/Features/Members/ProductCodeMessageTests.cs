using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>
/// A follower sends a product code to the Official Account (the sandbox's follower endpoints deliver it to our
/// callback on a Kestrel-hosted instance, as WeChat would) and reads the reply.
/// </summary>
public sealed class ProductCodeMessageTests
{
    const string BindUrl = "https://shop.example.com/bind";
    static SandboxHost sandbox = null!;
    static ApiFactory api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sandbox = await SandboxHost.StartAsync();
        var settings = sandbox.ApiSettings();
        settings["Members:CodeMessageBindUrl"] = BindUrl;
        settings["Members:CodeClaimFailuresPerWindow"] = "3";
        settings["Jobs:PointsExpiry:Enabled"] = "false";
        api = await ApiFactory.StartAsync(settings, kestrel: true);
        await sandbox.ConfigureAsync(callbackUrl: new Uri(api.BaseAddress, "/wechat/callback").AbsoluteUri);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await api.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    static async Task<string?> SendAsync(string openId, string content)
    {
        var response = await sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{openId}/text", new { content });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("replied"), body.ToString());
        return body.GetProperty("reply").GetProperty("content").GetString();
    }

    /// <summary>Web OAuth as the follower: their OA openid becomes an identity of a member.</summary>
    static async Task<long> BindFollowerAsync(string oaOpenId)
    {
        // A real browser on the Kestrel address: keeps cookies, does not follow redirects.
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = api.BaseAddress };
        var (callback, _) = await OAuthTestData.SignInAsync(browser, oaOpenId);
        return long.Parse(OAuthTestData.Fragment(callback)["memberId"], System.Globalization.CultureInfo.InvariantCulture);
    }

    static Task<long> BalanceAsync(long memberId) =>
        api.ScalarAsync<long>("SELECT points_balance FROM members WHERE id = @memberId", new { memberId });

    [Test]
    public async Task BoundFollower_SendsCode_IsCreditedOnce_SecondSendRefused_OtherFollowerRefused()
    {
        var openId = OAuthTestData.NewOaOpenId();
        var memberId = await BindFollowerAsync(openId);
        var batch = await ProductCodeTestData.CreateBatchAsync(points: 80, count: 1, api: api);
        var code = batch.Codes[0];

        var first = await SendAsync(openId, code.ToLowerInvariant());
        var again = await SendAsync(openId, code);
        var otherMember = await BindFollowerAsync(OAuthTestData.NewOaOpenId());
        var other = await SendAsync(
            (await api.ScalarAsync<string>("SELECT value FROM member_identities WHERE member_id = @otherMember AND kind = 'oa_openid'", new { otherMember }))!,
            code);

        Assert.Multiple(async () =>
        {
            Assert.That(first, Does.Contain("80").And.Contain("兑换成功"));
            Assert.That(again, Does.Contain("已经领取过"));
            Assert.That(other, Does.Contain("已被领取"));
            Assert.That(await BalanceAsync(memberId), Is.EqualTo(80));
            Assert.That(await BalanceAsync(otherMember), Is.Zero);
            Assert.That(await api.ScalarAsync<long>("SELECT claimed_by FROM product_codes WHERE batch_id = @id", new { id = batch.Id }), Is.EqualTo(memberId));
            var logged = await Eventually.MatchAsync(
                () => api.QueryAsync<string>("SELECT content FROM follower_messages WHERE openid = @openId", new { openId }), rows => rows.Count() >= 2);
            Assert.That(logged, Is.EqualTo(new[] { "[product code]", "[product code]" }), "both messages logged; the log never keeps a code");
        });
    }

    [Test]
    public async Task UnboundFollower_IsToldHowToBind_AndNothingIsClaimed()
    {
        var batch = await ProductCodeTestData.CreateBatchAsync(points: 5, count: 1, api: api);

        var reply = await SendAsync(OAuthTestData.NewOaOpenId(), batch.Codes[0]);

        Assert.Multiple(async () =>
        {
            Assert.That(reply, Does.Contain(BindUrl));
            Assert.That(await api.ScalarAsync<long?>("SELECT claimed_by FROM product_codes WHERE batch_id = @id", new { id = batch.Id }), Is.Null);
        });
    }

    [Test]
    public async Task WrongCodesInTheChat_CountAgainstTheMembersApiLimit()
    {
        var openId = OAuthTestData.NewOaOpenId();
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true }) { BaseAddress = api.BaseAddress };
        var (callback, _) = await OAuthTestData.SignInAsync(browser, openId);
        using var member = new HttpClient { BaseAddress = api.BaseAddress };
        member.DefaultRequestHeaders.Authorization = new("Bearer", OAuthTestData.Fragment(callback)["token"]);
        var batch = await ProductCodeTestData.CreateBatchAsync(points: 5, count: 1, api: api);

        for (var i = 0; i < 3; i++) await SendAsync(openId, "YYYY-YYYY-YYYY-YYY" + i);
        var claim = await member.PostAsJsonAsync("/api/me/product-codes/claim", new { code = batch.Codes[0] });

        Assert.That((int)claim.StatusCode, Is.EqualTo(429), "the chat and the API share the member's failure counter");
    }

    [Test]
    public async Task WrongCodes_AreRateLimitedPerOpenId_AndOrdinaryTextStillGoesToAutoReplies()
    {
        var openId = OAuthTestData.NewOaOpenId();
        var memberId = await BindFollowerAsync(openId);
        var batch = await ProductCodeTestData.CreateBatchAsync(points: 7, count: 1, api: api);

        var wrong = new List<string?>();
        for (var i = 0; i < 3; i++) wrong.Add(await SendAsync(openId, "ZZZZ-ZZZZ-ZZZZ-ZZZ" + i));
        var limited = await SendAsync(openId, batch.Codes[0]);
        var ordinary = await sandbox.Client.PostAsJsonAsync($"/sandbox/followers/{openId}/text", new { content = "hello there" });
        var ordinaryBody = await ordinary.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Multiple(async () =>
        {
            Assert.That(wrong, Has.Count.EqualTo(3).And.All.Contain("没有找到"));
            Assert.That(limited, Does.Contain("次数过多"));
            Assert.That(await BalanceAsync(memberId), Is.Zero, "the valid code was refused while limited");
            Assert.That(ordinaryBody.GetProperty("status").GetString(), Is.EqualTo("no_reply"), "no rule matches plain text: answered, without a reply");
        });
    }
}
