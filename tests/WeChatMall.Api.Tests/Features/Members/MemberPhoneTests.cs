using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed class MemberPhoneTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    static string NewNumber() => "139" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    static async Task<string> MintPhoneCodeAsync(string purePhoneNumber, string countryCode = "86")
    {
        var response = await MembersEnvironment.Sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/phone-codes", new { purePhoneNumber, countryCode });
        response.EnsureSuccessStatusCode();
        return (await ReadAsync(response)).GetProperty("code").GetString()!;
    }

    static async Task<HttpResponseMessage> BindAsync(SignedIn member, string code) =>
        await member.Client.PostAsJsonAsync("/api/me/phone", new { code });

    static Task<long> PhoneHolderAsync(string phone) =>
        Api.ScalarAsync<long>("SELECT member_id FROM member_identities WHERE kind = 'phone' AND value = @phone", new { phone });

    [Test]
    public async Task Bind_WithValidCode_StoresNormalizedPhoneAndAnswersMasked()
    {
        using var member = await LoginAsync();
        var number = NewNumber();

        var response = await BindAsync(member, await MintPhoneCodeAsync(number));

        var body = await ReadAsync(response);
        var me = await ReadAsync(await member.Client.GetAsync("/api/me"));
        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("phone").GetString(), Is.EqualTo($"+86{number[..3]}****{number[^4..]}"));
            Assert.That(await PhoneHolderAsync("+86" + number), Is.EqualTo(member.MemberId));
            Assert.That(me.GetProperty("identities").EnumerateArray().Select(i => i.GetString()), Does.Contain("phone"));
        });
    }

    [Test]
    public async Task Bind_ForeignNumber_StoresCountryCode()
    {
        using var member = await LoginAsync();
        var number = "6" + Random.Shared.NextInt64(1_000_000, 9_999_999);

        var response = await BindAsync(member, await MintPhoneCodeAsync(number, "852"));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await PhoneHolderAsync("+852" + number), Is.EqualTo(member.MemberId));
        });
    }

    [Test]
    public async Task Bind_NumberOfAnotherMember_Returns409AndKeepsOwner()
    {
        using var owner = await LoginAsync();
        using var other = await LoginAsync();
        var number = NewNumber();
        Assert.That((await BindAsync(owner, await MintPhoneCodeAsync(number))).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var response = await BindAsync(other, await MintPhoneCodeAsync(number));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
            Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo("PHONE_IN_USE"));
            Assert.That(await PhoneHolderAsync("+86" + number), Is.EqualTo(owner.MemberId));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE member_id = @id AND kind = 'phone'",
                new { id = other.MemberId }), Is.Zero);
        });
    }

    [Test]
    public async Task Bind_SameNumberAgain_Returns200Unchanged()
    {
        using var member = await LoginAsync();
        var number = NewNumber();
        await BindAsync(member, await MintPhoneCodeAsync(number));

        var again = await BindAsync(member, await MintPhoneCodeAsync(number));

        Assert.Multiple(async () =>
        {
            Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await ReadAsync(again)).GetProperty("changed").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task Bind_NewNumber_ReplacesTheOldOne()
    {
        using var member = await LoginAsync();
        var first = NewNumber();
        var second = NewNumber();
        await BindAsync(member, await MintPhoneCodeAsync(first));

        var response = await BindAsync(member, await MintPhoneCodeAsync(second));

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(await Api.ScalarAsync<string>("SELECT GROUP_CONCAT(value) FROM member_identities WHERE member_id = @id AND kind = 'phone'",
                new { id = member.MemberId }), Is.EqualTo("+86" + second));
        });
    }

    [Test]
    public async Task Bind_SameNumberByFourMembersAtOnce_BindsItOnce()
    {
        var members = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => LoginAsync()));
        var number = NewNumber();
        var codes = await Task.WhenAll(members.Select(_ => MintPhoneCodeAsync(number)));

        var responses = await Task.WhenAll(members.Select((m, i) => BindAsync(m, codes[i])));

        Assert.Multiple(async () =>
        {
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Conflict), Is.EqualTo(3));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM member_identities WHERE kind = 'phone' AND value = @phone",
                new { phone = "+86" + number }), Is.EqualTo(1));
        });
        foreach (var m in members) m.Dispose();
    }

    [Test]
    public async Task Bind_WithUsedCode_Returns400()
    {
        using var member = await LoginAsync();
        var code = await MintPhoneCodeAsync(NewNumber());
        await BindAsync(member, code);

        var reused = await BindAsync(member, code);

        Assert.Multiple(async () =>
        {
            Assert.That(reused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That((await ReadAsync(reused)).GetProperty("code").GetString(), Is.EqualTo("PHONE_CODE_INVALID"));
        });
    }

    [Test]
    public async Task AdminSearch_ByBoundPhoneInAnyCommonForm_FindsTheMember()
    {
        using var member = await LoginAsync();
        var number = NewNumber();
        await BindAsync(member, await MintPhoneCodeAsync(number));
        using var admin = Api.CreateAdminClient();

        async Task<long[]> Find(string q) => (await ReadAsync(await admin.GetAsync($"/admin/members?q={Uri.EscapeDataString(q)}")))
            .EnumerateArray().Select(m => m.GetProperty("id").GetInt64()).ToArray();

        Assert.Multiple(async () =>
        {
            Assert.That(await Find("+86" + number), Is.EqualTo(new[] { member.MemberId }));
            Assert.That(await Find(number), Is.EqualTo(new[] { member.MemberId }));
            Assert.That(await Find($"+86 {number[..3]}-{number[3..7]}-{number[7..]}"), Is.EqualTo(new[] { member.MemberId }));
            Assert.That(await Find(number[..^1]), Is.Empty, "exact matches only");
        });
    }

    [Test]
    public async Task Bind_WithoutToken_Returns401()
    {
        using var client = Api.CreateClient();

        var response = await client.PostAsJsonAsync("/api/me/phone", new { code = "any" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
