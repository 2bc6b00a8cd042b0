using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Operators.OperatorTestData;

namespace WeChatMall.Api.Tests.Features.Operators;

public sealed class ApiTokenTests
{
    static async Task<(long Id, string Token)> CreateTokenAsync(string role, int days = 30)
    {
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/api-tokens", new { name = "erp " + Guid.NewGuid().ToString("N")[..6], role, expiresInDays = days });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        return (body.GetProperty("details").GetProperty("id").GetInt64(), body.GetProperty("token").GetString()!);
    }

    static HttpClient BearerClient(string token)
    {
        var client = OperatorsEnvironment.Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Test]
    public async Task Token_IsShownOnce_StoredOnlyAsItsHash_AndActsWithItsRole()
    {
        var (id, token) = await CreateTokenAsync("viewer");
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();
        using var client = BearerClient(token);

        var list = await admin.GetStringAsync("/admin/api-tokens");
        var stored = await OperatorsEnvironment.Api.ScalarAsync<string>("SELECT token_hash FROM admin_api_tokens WHERE id = @id", new { id });
        var read = await client.GetAsync("/admin/catalog/categories");
        var write = await client.PostAsJsonAsync("/admin/catalog/categories", new { name = "nope" });

        Assert.Multiple(async () =>
        {
            Assert.That(token, Does.StartWith("wcm_"));
            Assert.That(list, Does.Not.Contain(token));
            Assert.That(stored, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))));
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await write.CodeAsync(), Is.EqualTo("PERMISSION_DENIED"));
        });
    }

    [Test]
    public async Task Token_WritesNeedNoCsrfToken()
    {
        var (_, token) = await CreateTokenAsync("manager");
        using var client = BearerClient(token);

        var write = await client.PostAsJsonAsync("/admin/catalog/categories", new { name = "token-made " + Guid.NewGuid().ToString("N")[..6] });

        Assert.That(write.StatusCode, Is.EqualTo(HttpStatusCode.Created), await write.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task Token_Revoked_Returns401()
    {
        var (id, token) = await CreateTokenAsync("manager");
        using var client = BearerClient(token);
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();
        Assert.That((await client.GetAsync("/admin/refunds")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var revoke = await admin.DeleteAsync($"/admin/api-tokens/{id}");

        Assert.Multiple(async () =>
        {
            Assert.That(revoke.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That((await client.GetAsync("/admin/refunds")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task Token_Expired_Returns401()
    {
        using var clock = new RunningClock();
        await using var api = await ApiFactory.StartAsync(clock: clock);
        using var admin = api.CreateAdminClient();
        var created = await (await admin.PostAsJsonAsync("/admin/api-tokens", new { name = "short-lived", role = "owner", expiresInDays = 1 })).JsonAsync();
        using var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("token").GetString());
        var before = await client.GetAsync("/admin/operators");

        await clock.JumpAsync(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));
        var after = await client.GetAsync("/admin/operators");

        Assert.Multiple(() =>
        {
            Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task MemberBearerToken_OnAnAdminRoute_Returns401()
    {
        using var client = BearerClient("not-an-admin-token-" + Guid.NewGuid().ToString("N"));

        Assert.That((await client.GetAsync("/admin/operators")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
