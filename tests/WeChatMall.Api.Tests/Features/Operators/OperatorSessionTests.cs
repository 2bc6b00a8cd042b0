using System.Net;
using static WeChatMall.Api.Tests.Features.Operators.OperatorTestData;

namespace WeChatMall.Api.Tests.Features.Operators;

public sealed class OperatorSessionTests
{
    [Test]
    public async Task SignIn_WithRightPassword_SetsAHardenedCookieAndAnswersOperatorPermissionsAndCsrf()
    {
        var op = await CreateOperatorAsync("viewer");
        using var client = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());

        var response = await client.SignInAsync(op.Username, op.Password);

        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wcm_admin=", StringComparison.Ordinal));
        var body = await response.JsonAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(setCookie, Does.Contain("httponly").IgnoreCase);
            Assert.That(setCookie, Does.Contain("samesite=strict").IgnoreCase);
            Assert.That(setCookie, Does.Contain("path=/").IgnoreCase);
            Assert.That(setCookie, Does.Not.Contain("secure").IgnoreCase, "plain HTTP here; Secure only over HTTPS");
            Assert.That(body.GetProperty("operator").GetProperty("username").GetString(), Is.EqualTo(op.Username));
            Assert.That(body.GetProperty("operator").GetProperty("role").GetString(), Is.EqualTo("viewer"));
            Assert.That(body.GetProperty("csrfToken").GetString(), Has.Length.GreaterThan(20));
            var members = body.GetProperty("permissions").EnumerateArray().Single(p => p.GetProperty("area").GetString() == "members");
            Assert.That(members.GetProperty("read").GetBoolean(), Is.True);
            Assert.That(members.GetProperty("write").GetBoolean(), Is.False);
        });
    }

    [Test]
    public async Task SignIn_OverHttpsBehindTheProxy_MarksTheCookieSecure()
    {
        var op = await CreateOperatorAsync("viewer");
        using var client = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");

        var response = await client.SignInAsync(op.Username, op.Password);

        Assert.That(response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("wcm_admin=", StringComparison.Ordinal)),
            Does.Contain("secure").IgnoreCase);
    }

    [Test]
    public async Task SignIn_UnknownUserAndWrongPassword_GetTheSameAnswer()
    {
        var op = await CreateOperatorAsync("viewer");
        using var client = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());

        var unknown = await client.SignInAsync("nobody-" + Guid.NewGuid().ToString("N")[..8], "whatever-password");
        var wrong = await client.SignInAsync(op.Username, "wrong password!");

        Assert.Multiple(async () =>
        {
            Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await unknown.CodeAsync(), Is.EqualTo("SIGN_IN_FAILED"));
            Assert.That(await wrong.CodeAsync(), Is.EqualTo("SIGN_IN_FAILED"));
            Assert.That(client.SessionCookie, Is.Null);
        });
    }

    [Test]
    public async Task Session_GetThenSignOut_RevokesTheCookie()
    {
        var op = await CreateOperatorAsync("manager");
        using var client = await SignedInAsync(op);
        var cookie = client.SessionCookie!.Value;

        var current = await client.SendAsync(HttpMethod.Get, "/admin/session");
        var signOut = await client.SendAsync(HttpMethod.Delete, "/admin/session");
        // The old cookie value, replayed after sign-out (as a stolen copy would be).
        using var replay = new HttpClient { BaseAddress = OperatorsEnvironment.Api.BaseAddress };
        replay.DefaultRequestHeaders.Add("Cookie", "wcm_admin=" + cookie);
        var afterwards = await replay.GetAsync("/admin/session");

        Assert.Multiple(async () =>
        {
            Assert.That(current.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await current.JsonAsync()).GetProperty("operator").GetProperty("id").GetInt64(), Is.EqualTo(op.Id));
            Assert.That(signOut.StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
            Assert.That(afterwards.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task Session_NoCookie_Returns401()
    {
        using var anonymous = new HttpClient { BaseAddress = OperatorsEnvironment.Api.BaseAddress };

        var response = await anonymous.GetAsync("/admin/session");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task CookieWrite_WithoutOrWithWrongCsrfToken_Returns403_WithTheToken_Passes()
    {
        var op = await CreateOperatorAsync("owner");
        using var client = await SignedInAsync(op);

        var without = await client.SendAsync(HttpMethod.Post, "/admin/operators", new { }, withCsrf: false);
        var token = client.CsrfToken;
        client.CsrfToken = "forged-" + token;
        var wrong = await client.SendAsync(HttpMethod.Post, "/admin/operators", new { });
        client.CsrfToken = token;
        var right = await client.SendAsync(HttpMethod.Post, "/admin/operators", new { });
        var read = await client.SendAsync(HttpMethod.Get, "/admin/operators", withCsrf: false);

        Assert.Multiple(async () =>
        {
            Assert.That(without.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await without.CodeAsync(), Is.EqualTo("CSRF_TOKEN_INVALID"));
            Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await wrong.CodeAsync(), Is.EqualTo("CSRF_TOKEN_INVALID"));
            Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "past the CSRF check, the empty body fails validation");
            Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK), "reads need no CSRF token");
        });
    }
}
