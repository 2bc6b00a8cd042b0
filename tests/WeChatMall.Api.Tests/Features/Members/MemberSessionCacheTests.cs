using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>
/// Each instance remembers session lookups for Members:SessionCacheSeconds (MemberSessionCache); a logout or a merge on
/// one instance must still be refused at once by another instance that has the session in memory.
/// </summary>
public sealed class MemberSessionCacheTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    static string HashOf(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    static async Task<MemberSessionCache> ActiveCacheAsync(ApiFactory instance)
    {
        var cache = instance.Services.GetRequiredService<MemberSessionCache>();
        for (var i = 0; i < 200 && !cache.Active; i++) await Task.Delay(50);
        Assert.That(cache.Active, Is.True, "the instance subscribed to the session invalidation channel");
        return cache;
    }

    static HttpClient BearerOn(ApiFactory instance, string token)
    {
        var client = instance.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Signs the token in on <paramref name="instance"/> until that instance holds it in memory.</summary>
    static async Task<HttpClient> CachedOnAsync(ApiFactory instance, string token)
    {
        var cache = await ActiveCacheAsync(instance);
        var client = BearerOn(instance, token);
        Assert.That((await client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(cache.TryGet(HashOf(token), out _), Is.True, "the other instance remembers the session");
        return client;
    }

    [Test]
    public async Task Logout_OnOneInstance_IsRefusedAtOnceByAnotherThatRemembersTheSession()
    {
        await using var other = Api.StartSibling();
        using var member = await LoginAsync();
        await ActiveCacheAsync(Api);
        using var onOther = await CachedOnAsync(other, member.Token);

        var logout = await member.Client.PostAsync("/api/auth/logout", null);
        var after = await onOther.GetAsync("/api/me");

        Assert.Multiple(async () =>
        {
            Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the revoked session on the other instance");
            Assert.That((await ReadAsync(after)).GetProperty("code").GetString(), Is.EqualTo("TOKEN_INVALID"));
        });
    }

    [Test]
    public async Task Merge_OnOneInstance_EndsTheMergedMembersSessionsAtOnceOnAnother()
    {
        await using var other = Api.StartSibling();
        using var survivor = await LoginAsync();
        using var merged = await LoginAsync();
        await ActiveCacheAsync(Api);
        using var mergedOnOther = await CachedOnAsync(other, merged.Token);
        using var survivorOnOther = await CachedOnAsync(other, survivor.Token);

        using var admin = Api.CreateAdminClient();
        var merge = await admin.PostAsJsonAsync($"/admin/members/{survivor.MemberId}/merge", new { mergedMemberId = merged.MemberId, reason = "same person" });

        Assert.Multiple(async () =>
        {
            Assert.That(merge.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await mergedOnOther.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the merged member");
            Assert.That((await survivorOnOther.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the survivor keeps its session");
        });
    }

    [Test]
    public async Task Lookup_IsServedFromMemory_AndASessionGoneBehindTheAppsBackEndsWithinTheBound()
    {
        using var member = await LoginAsync();
        await ActiveCacheAsync(Api);
        Assert.That((await member.Client.GetAsync("/api/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // Deleted in Redis without a logout (no invalidation message): only the bound (SessionCacheSeconds) ends it here.
        await Api.Services.GetRequiredService<IDatabase>().KeyDeleteAsync("member:session:" + HashOf(member.Token));

        var fromMemory = await member.Client.GetAsync("/api/me");
        var status = fromMemory.StatusCode;
        for (var i = 0; i < 100 && status == HttpStatusCode.OK; i++)
        {
            await Task.Delay(100);
            status = (await member.Client.GetAsync("/api/me")).StatusCode;
        }

        Assert.Multiple(() =>
        {
            Assert.That(fromMemory.StatusCode, Is.EqualTo(HttpStatusCode.OK), "answered from the instance's memory, no Redis lookup");
            Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), "the memory ends with Members:SessionCacheSeconds");
        });
    }
}
