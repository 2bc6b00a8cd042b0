using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Infrastructure.Auth;
using static WeChatMall.Api.Tests.Features.Operators.OperatorTestData;

namespace WeChatMall.Api.Tests.Features.Operators;

/// <summary>
/// Every /admin operation of the OpenAPI document, called by every role (through a real session, and through an API
/// token), answers as <see cref="AdminPermissions"/> says: 403 PERMISSION_DENIED where the role may not, anything but
/// 401/403 where it may (dummy ids and empty bodies make most of those 400/404). Nothing is left unprotected, and no
/// operation or area is missing from the matrix.
/// </summary>
[NonParallelizable]
public sealed partial class AdminPermissionMatrixTests
{
    sealed record Operation(string Method, string Path, AdminArea Area, bool Anonymous, string Url, string? BodyType);

    [GeneratedRegex(@"\{\*?(?<name>\w+)(?<constraint>:[^}]*)?\??\}")]
    private static partial Regex RouteParameter();

    static async Task<List<Operation>> AdminOperationsAsync()
    {
        using var client = OperatorsEnvironment.Api.CreateClient();
        var doc = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json")).RootElement;
        var endpoints = OperatorsEnvironment.Api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Endpoint: e)))
            .ToLookup(x => (x.Method, Normalise(x.Endpoint.RoutePattern.RawText ?? "")), x => x.Endpoint);
        var operations = new List<Operation>();
        foreach (var path in doc.GetProperty("paths").EnumerateObject().Where(p => p.Name.StartsWith("/admin/", StringComparison.Ordinal)))
            foreach (var op in path.Value.EnumerateObject().Where(o => o.Name != "parameters"))
            {
                var method = op.Name.ToUpperInvariant();
                var endpoint = endpoints[(method, path.Name)].SingleOrDefault();
                Assert.That(endpoint, Is.Not.Null, $"{method} {path.Name}: no endpoint found for the documented operation");
                var area = endpoint!.Metadata.GetMetadata<AdminArea>();
                Assert.That(area, Is.Not.Null, $"{method} {path.Name} names no AdminArea");
                var url = RouteParameter().Replace(endpoint.RoutePattern.RawText!.TrimEnd('/'), m =>
                    m.Groups["constraint"].Value.Contains("long") || m.Groups["constraint"].Value.Contains("int") ? "987654321" : "NO-SUCH-" + m.Groups["name"].Value);
                // A body of the first type the operation takes: routing refuses other types (415) before authorization.
                var bodyType = op.Value.TryGetProperty("requestBody", out var body) ? body.GetProperty("content").EnumerateObject().First().Name : null;
                operations.Add(new Operation(method, path.Name, area!, endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null, "/" + url.TrimStart('/'), bodyType));
            }
        // Signing out last: it ends the session the other calls use.
        return [.. operations.OrderBy(o => o is { Method: "DELETE", Path: "/admin/session" })];
    }

    static string Normalise(string raw) => "/" + RouteParameter().Replace(raw, m => "{" + m.Groups["name"].Value + "}").Trim('/');

    [Test]
    public void Matrix_NamesEveryArea_AndEveryAreaIsListed()
    {
        var declared = typeof(AdminArea).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(AdminArea)).Select(f => (AdminArea)f.GetValue(null)!).ToList();

        Assert.Multiple(() =>
        {
            Assert.That(AdminArea.All, Is.EquivalentTo(declared), "AdminArea.All lists every area");
            Assert.That(AdminPermissions.Areas, Is.EquivalentTo(declared), "the matrix has a row for every area");
            foreach (var area in new[] { "audience", "channels", "marketplace", "metrics", "offers", "campaigns" })
                Assert.That(declared.Select(a => a.Name), Does.Contain(area), "areas of features still to come are in the matrix already");
        });
    }

    [Test]
    public async Task EveryAdminOperation_WithoutCredentials_Returns401_ExceptSignIn()
    {
        var operations = await AdminOperationsAsync();
        using var anonymous = new HttpClient { BaseAddress = OperatorsEnvironment.Api.BaseAddress };

        Assert.That(operations, Has.Count.GreaterThan(30));
        var wrong = new List<string>();
        foreach (var op in operations)
        {
            var response = await anonymous.SendAsync(Request(op, null));
            var expectAnonymous = op is { Method: "POST", Path: "/admin/session" };
            if (expectAnonymous != op.Anonymous || (response.StatusCode == HttpStatusCode.Unauthorized) == expectAnonymous)
                wrong.Add($"{op.Method} {op.Path}: {(int)response.StatusCode}");
        }
        Assert.That(wrong, Is.Empty);
    }

    [TestCase(AdminRole.Owner)]
    [TestCase(AdminRole.Manager)]
    [TestCase(AdminRole.Operator)]
    [TestCase(AdminRole.Marketer)]
    [TestCase(AdminRole.Viewer)]
    public async Task EveryAdminOperation_ThroughASession_AnswersAsTheMatrixSays(string role)
    {
        var operations = await AdminOperationsAsync();
        using var session = await SignedInAsync(await CreateOperatorAsync(role));

        var wrong = new List<string>();
        foreach (var op in operations.Where(o => !o.Anonymous))
        {
            var request = Request(op, session.CsrfToken);
            var response = await session.Http.SendAsync(request);
            await Check(op, role, AdminPermissions.Allows(role, op.Area, AdminPermissions.IsWrite(op.Method)), response, wrong);
        }
        Assert.That(wrong, Is.Empty);
    }

    [TestCase(AdminRole.Owner)]
    [TestCase(AdminRole.Manager)]
    [TestCase(AdminRole.Operator)]
    [TestCase(AdminRole.Marketer)]
    [TestCase(AdminRole.Viewer)]
    public async Task EveryAdminOperation_ThroughAnApiToken_AnswersAsTheMatrixSays_AndTokensHaveNoSession(string role)
    {
        var operations = await AdminOperationsAsync();
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();
        var created = await (await admin.PostAsJsonAsync("/admin/api-tokens", new { name = "matrix " + role, role, expiresInDays = 1 })).JsonAsync();
        using var client = new HttpClient { BaseAddress = OperatorsEnvironment.Api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.GetProperty("token").GetString());

        var wrong = new List<string>();
        foreach (var op in operations.Where(o => !o.Anonymous))
        {
            var allowed = op.Area != AdminArea.Session && AdminPermissions.Allows(role, op.Area, AdminPermissions.IsWrite(op.Method));
            await Check(op, role, allowed, await client.SendAsync(Request(op, null)), wrong);
        }
        Assert.That(wrong, Is.Empty);
    }

    static HttpRequestMessage Request(Operation op, string? csrf)
    {
        var request = new HttpRequestMessage(new HttpMethod(op.Method), op.Url);
        if (op.BodyType is "application/json" or null && AdminPermissions.IsWrite(op.Method)) request.Content = JsonContent.Create(new { });
        else if (op.BodyType is not null) request.Content = new ByteArrayContent([]) { Headers = { ContentType = new MediaTypeHeaderValue(op.BodyType) } };
        if (csrf is not null) request.Headers.Add("X-CSRF-Token", csrf);
        return request;
    }

    static async Task Check(Operation op, string role, bool allowed, HttpResponseMessage response, List<string> wrong)
    {
        var status = response.StatusCode;
        if (allowed && status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            wrong.Add($"{role} {op.Method} {op.Path} ({op.Area.Name}): allowed, got {(int)status} {await response.CodeAsync()}");
        if (!allowed)
        {
            var code = status == HttpStatusCode.Forbidden ? await response.CodeAsync() : null;
            if (code != "PERMISSION_DENIED")
                wrong.Add($"{role} {op.Method} {op.Path} ({op.Area.Name}): forbidden, got {(int)status} {code}");
        }
    }
}
