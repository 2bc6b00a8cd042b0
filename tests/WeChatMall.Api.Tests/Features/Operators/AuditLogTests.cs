using System.Net;
using System.Net.Http.Json;
using static WeChatMall.Api.Tests.Features.Operators.OperatorTestData;

namespace WeChatMall.Api.Tests.Features.Operators;

public sealed class AuditLogTests
{
    static async Task<List<System.Text.Json.JsonElement>> EntriesAsync(string query)
    {
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();
        var page = await (await admin.GetAsync("/admin/audit?" + query)).JsonAsync();
        return [.. page.GetProperty("items").EnumerateArray()];
    }

    [Test]
    public async Task OperatorWrite_IsRecordedWithActorIpActionTargetStatus_AndNoSecrets()
    {
        var owner = await CreateOperatorAsync("owner");
        using var client = await SignedInAsync(owner);
        client.Http.DefaultRequestHeaders.Remove("X-Forwarded-For");
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.77");
        var newcomer = NewUsername("viewer");

        var create = await client.SendAsync(HttpMethod.Post, "/admin/operators",
            new { username = newcomer, displayName = "New", role = "viewer", password = "super secret passphrase" });
        var id = (await create.JsonAsync()).GetProperty("id").GetInt64();
        var update = await client.SendAsync(HttpMethod.Put, $"/admin/operators/{id}", new { role = "marketer" });

        var entries = await EntriesAsync("operator=" + owner.Username);
        var created = entries.Single(e => e.GetProperty("action").GetString() == "POST /admin/operators");
        var updated = entries.Single(e => e.GetProperty("action").GetString() == "PUT /admin/operators/{id:long}");
        var signIn = entries.Single(e => e.GetProperty("action").GetString() == "sign-in");
        Assert.Multiple(() =>
        {
            Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(created.GetProperty("actorKind").GetString(), Is.EqualTo("operator"));
            Assert.That(created.GetProperty("operatorId").GetInt64(), Is.EqualTo(owner.Id));
            Assert.That(created.GetProperty("clientIp").GetString(), Is.EqualTo("203.0.113.77"));
            Assert.That(created.GetProperty("status").GetInt32(), Is.EqualTo(201));
            Assert.That(created.GetProperty("area").GetString(), Is.EqualTo("operators"));
            Assert.That(created.GetProperty("details").GetString(), Does.Contain(newcomer).And.Not.Contain("super secret passphrase"));
            Assert.That(updated.GetProperty("target").GetString(), Does.Contain($"\"id\":\"{id}\""));
            Assert.That(updated.GetProperty("details").GetString(), Does.Contain("\"before\"").And.Contain("\"viewer\"").And.Contain("marketer"));
            Assert.That(signIn.GetProperty("status").GetInt32(), Is.EqualTo(200));
            Assert.That(signIn.GetProperty("details").GetString(), Does.Not.Contain(owner.Password));
        });
    }

    [Test]
    public async Task TokenAndBootstrapKeyWrites_NameTheirActor_FailedWritesKeepTheirStatus()
    {
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();
        var name = "audit-token-" + Guid.NewGuid().ToString("N")[..6];
        var created = await (await admin.PostAsJsonAsync("/admin/api-tokens", new { name, role = "manager", expiresInDays = 5 })).JsonAsync();
        var token = created.GetProperty("token").GetString()!;
        using var client = OperatorsEnvironment.Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var missing = await client.PostAsJsonAsync("/admin/orders/NO-SUCH-ORDER-1/ship", new { carrier = "SF", trackingNo = "SF1" });

        var byToken = await EntriesAsync("operator=" + name);
        var byKey = await EntriesAsync("operator=bootstrap%20key&action=api-tokens");
        Assert.Multiple(async () =>
        {
            var entry = byToken.Single();
            Assert.That(entry.GetProperty("actorKind").GetString(), Is.EqualTo("token"));
            Assert.That(entry.GetProperty("status").GetInt32(), Is.EqualTo((int)missing.StatusCode));
            Assert.That(entry.GetProperty("target").GetString(), Does.Contain("NO-SUCH-ORDER-1"));
            var keyEntry = byKey.First(e => e.GetProperty("details").GetString()!.Contains(name));
            Assert.That(keyEntry.GetProperty("actorKind").GetString(), Is.EqualTo("key"));
            Assert.That(keyEntry.GetProperty("details").GetString(), Does.Not.Contain(token), "the token is never logged");
            var export = await admin.GetStringAsync("/admin/audit/export?operator=" + name);
            Assert.That(export.Split('\n')[0], Does.StartWith("id,occurred_at,actor_kind"));
            Assert.That(export, Does.Contain(name).And.Contain("NO-SUCH-ORDER-1"));
        });
    }

    [Test]
    public async Task FailedSignIn_IsRecordedAsAnonymousWithItsStatus()
    {
        var op = await CreateOperatorAsync("viewer");
        using var client = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());

        await client.SignInAsync(op.Username, "definitely wrong");

        var entry = (await EntriesAsync("operator=" + op.Username + "&action=sign-in")).Single();
        Assert.Multiple(() =>
        {
            Assert.That(entry.GetProperty("actorKind").GetString(), Is.EqualTo("anonymous"));
            Assert.That(entry.GetProperty("status").GetInt32(), Is.EqualTo(401));
            Assert.That(entry.GetProperty("details").GetString(), Does.Not.Contain("definitely wrong"));
        });
    }

    [Test]
    public async Task AuditList_Pages_WithNextCursor()
    {
        var op = await CreateOperatorAsync("viewer");
        for (var i = 0; i < 3; i++)
        {
            using var c = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
            await c.SignInAsync(op.Username, "wrong " + i + " password");
        }
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();

        var first = await (await admin.GetAsync($"/admin/audit?operator={op.Username}&limit=2")).JsonAsync();
        var second = await (await admin.GetAsync($"/admin/audit?operator={op.Username}&limit=2&cursor={first.GetProperty("nextCursor").GetString()}")).JsonAsync();

        Assert.Multiple(() =>
        {
            Assert.That(first.GetProperty("items").GetArrayLength(), Is.EqualTo(2));
            Assert.That(second.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
            Assert.That(second.GetProperty("nextCursor").ValueKind, Is.EqualTo(System.Text.Json.JsonValueKind.Null));
        });
    }
}
