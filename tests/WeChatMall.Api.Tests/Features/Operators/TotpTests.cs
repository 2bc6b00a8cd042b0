using System.Net;
using OtpNet;
using static WeChatMall.Api.Tests.Features.Operators.OperatorTestData;

namespace WeChatMall.Api.Tests.Features.Operators;

public sealed class TotpTests
{
    static string CodeFor(string secret, DateTime at) => new Totp(Base32Encoding.ToBytes(secret)).ComputeTotp(at);

    [Test]
    public async Task Totp_OnceEnrolled_IsRequired_AndEachCodeWorksOnce()
    {
        var op = await CreateOperatorAsync("owner");
        using var client = await SignedInAsync(op);
        var start = await client.SendAsync(HttpMethod.Post, "/admin/session/totp");
        var enrolment = await start.JsonAsync();
        var secret = enrolment.GetProperty("secret").GetString()!;
        Assert.That(enrolment.GetProperty("otpauthUri").GetString(), Does.StartWith("otpauth://totp/").And.Contain("secret=" + secret));
        var wrongConfirm = await client.SendAsync(HttpMethod.Post, "/admin/session/totp/confirm", new { code = "000000" == CodeFor(secret, DateTime.UtcNow) ? "111111" : "000000" });
        // The code of the previous step: accepted for clock drift, and leaves the current step's code for sign-in.
        var confirm = await client.SendAsync(HttpMethod.Post, "/admin/session/totp/confirm", new { code = CodeFor(secret, DateTime.UtcNow.AddSeconds(-30)) });

        using var noCode = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        var withoutCode = await noCode.SignInAsync(op.Username, op.Password);
        using var withCode = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        var now = CodeFor(secret, DateTime.UtcNow);
        var signedIn = await withCode.SignInAsync(op.Username, op.Password, now);
        using var replay = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        var replayed = await replay.SignInAsync(op.Username, op.Password, now);

        Assert.Multiple(async () =>
        {
            Assert.That(start.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(wrongConfirm.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(await wrongConfirm.CodeAsync(), Is.EqualTo("TOTP_CODE_INVALID"));
            Assert.That(confirm.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await confirm.Content.ReadAsStringAsync());
            Assert.That(withoutCode.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await withoutCode.CodeAsync(), Is.EqualTo("TOTP_REQUIRED"));
            Assert.That(noCode.SessionCookie, Is.Null);
            Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.OK), await signedIn.Content.ReadAsStringAsync());
            Assert.That(replayed.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "a code is good once");
            Assert.That(await replayed.CodeAsync(), Is.EqualTo("TOTP_REQUIRED"));
        });
    }

    [Test]
    public async Task Totp_NotEnrolled_SignInNeedsNoCode_AndAStartedButUnconfirmedSecretDoesNotCount()
    {
        var op = await CreateOperatorAsync("owner");
        using var client = await SignedInAsync(op);
        await client.SendAsync(HttpMethod.Post, "/admin/session/totp");

        using var again = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        Assert.That((await again.SignInAsync(op.Username, op.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
