using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Tests.Infrastructure;

public sealed class ApiSurfaceTests
{
    [Test]
    public async Task OpenApiDocument_IsServed_WithTitle()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;

        Assert.That(doc.GetProperty("info").GetProperty("title").GetString(), Is.EqualTo("WeChatMall API"));
    }

    [Test]
    public async Task OpenApiDocument_AdminOperationsRequireTheAdminKey_PublicOnesDoNot()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths");
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("AdminKey");

        Assert.Multiple(() =>
        {
            Assert.That(scheme.GetProperty("name").GetString(), Is.EqualTo("X-Admin-Key"));
            foreach (var path in paths.EnumerateObject().Where(p => p.Name.StartsWith("/admin/")))
                foreach (var op in path.Value.EnumerateObject())
                    // Signing in is the one admin operation without credentials (it hands them out).
                    Assert.That(op.Value.TryGetProperty("security", out _), Is.EqualTo(!(path.Name == "/admin/session" && op.Name == "post")), $"{op.Name} {path.Name}");
            Assert.That(paths.GetProperty("/api/catalog/products").GetProperty("get").TryGetProperty("security", out _), Is.False);
        });
    }

    [Test]
    public async Task OpenApiDocument_MemberOperationsRequireTheBearerToken_AnonymousOnesDoNot()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var paths = doc.GetProperty("paths");
        var scheme = doc.GetProperty("components").GetProperty("securitySchemes").GetProperty("Member");
        string[] SchemesOf(string path, string method) =>
            paths.GetProperty(path).GetProperty(method).TryGetProperty("security", out var security)
                ? [.. security.EnumerateArray().SelectMany(r => r.EnumerateObject().Select(p => p.Name))]
                : [];

        Assert.Multiple(() =>
        {
            Assert.That(scheme.GetProperty("scheme").GetString(), Is.EqualTo("bearer"));
            Assert.That(SchemesOf("/api/orders", "post"), Is.EqualTo(new[] { "Member" }));
            Assert.That(SchemesOf("/api/me", "get"), Is.EqualTo(new[] { "Member" }));
            Assert.That(paths.GetProperty("/api/orders").GetProperty("post").GetProperty("responses").TryGetProperty("401", out _), Is.True);
            Assert.That(SchemesOf("/api/auth/login", "post"), Is.Empty);
            Assert.That(SchemesOf("/api/catalog/products/{id}", "get"), Is.Empty, "product detail is public; a token only adds tier prices");
            Assert.That(SchemesOf("/pay/notify", "post"), Is.Empty, "WeChat Pay signs, it has no token");
        });
    }

    [Test]
    public async Task ApiReferencePage_IsServed()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var html = await client.GetStringAsync("/scalar/v1");

        Assert.That(html, Does.Contain("<html").IgnoreCase);
    }

    [Test]
    public async Task ApiDocs_InProduction_AreOffUnlessConfiguredOn()
    {
        await using var production = TestEnvironment.Api.StartSibling(environment: "Production");
        await using var configuredOn = TestEnvironment.Api.StartSibling(
            new Dictionary<string, string?> { ["ApiDocs:Enabled"] = "true" }, environment: "Production");
        using var off = production.CreateClient();
        using var on = configuredOn.CreateClient();

        Assert.Multiple(async () =>
        {
            Assert.That((await off.GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await off.GetAsync("/scalar/v1")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That((await on.GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await on.GetAsync("/scalar/v1")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task UnknownRoute_Returns404ProblemDetails()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var response = await client.GetAsync("/no/such/route");

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo(404));
        });
    }
}

public sealed class AdminAreaTests
{
    [Test]
    public void EveryAdminRoute_NamesItsArea_AndRequiresTheAdminPolicy()
    {
        var endpoints = TestEnvironment.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith("/admin/", StringComparison.Ordinal)).ToList();

        Assert.That(endpoints, Has.Count.GreaterThan(20));
        Assert.Multiple(() =>
        {
            foreach (var e in endpoints)
            {
                Assert.That(e.Metadata.GetMetadata<AdminArea>(), Is.Not.Null, $"{e.DisplayName}: use RequireAdmin(AdminArea.X)");
                Assert.That(e.Metadata.GetOrderedMetadata<IAuthorizeData>().Any(a => a.Policy == AdminAuth.Policy), Is.True, e.DisplayName);
            }
        });
    }
}
