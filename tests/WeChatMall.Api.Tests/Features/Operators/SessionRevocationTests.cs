using System.Net;
using static WeChatMall.Api.Tests.Features.Operators.OperatorTestData;

namespace WeChatMall.Api.Tests.Features.Operators;

public sealed class SessionRevocationTests
{
    [Test]
    public async Task PasswordChange_EndsTheOtherSessions_KeepsThisOne_AndTheNewPasswordWorks()
    {
        var op = await CreateOperatorAsync("operator");
        using var here = await SignedInAsync(op);
        using var elsewhere = await SignedInAsync(op);

        var change = await here.SendAsync(HttpMethod.Post, "/admin/session/password",
            new { currentPassword = op.Password, newPassword = "a brand new passphrase" });

        using var withOld = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        using var withNew = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        Assert.Multiple(async () =>
        {
            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await change.Content.ReadAsStringAsync());
            Assert.That((await here.SendAsync(HttpMethod.Get, "/admin/session")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await elsewhere.SendAsync(HttpMethod.Get, "/admin/session")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await withOld.SignInAsync(op.Username, op.Password)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await withNew.SignInAsync(op.Username, "a brand new passphrase")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task PasswordChange_WithWrongCurrentPassword_Returns422_AndChangesNothing()
    {
        var op = await CreateOperatorAsync("viewer");
        using var client = await SignedInAsync(op);

        var change = await client.SendAsync(HttpMethod.Post, "/admin/session/password",
            new { currentPassword = "not the password", newPassword = "a brand new passphrase" });

        using var again = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        Assert.Multiple(async () =>
        {
            Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
            Assert.That(await change.CodeAsync(), Is.EqualTo("PASSWORD_INCORRECT"));
            Assert.That((await again.SignInAsync(op.Username, op.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task RoleChange_EndsEverySessionOfTheOperator_NextSignInHasTheNewRole()
    {
        var op = await CreateOperatorAsync("manager");
        using var session = await SignedInAsync(op);
        Assert.That((await session.SendAsync(HttpMethod.Get, "/admin/refunds")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();

        var demote = await admin.PutAsync($"/admin/operators/{op.Id}", System.Net.Http.Json.JsonContent.Create(new { role = "viewer" }));

        using var fresh = await SignedInAsync(op);
        Assert.Multiple(async () =>
        {
            Assert.That(demote.StatusCode, Is.EqualTo(HttpStatusCode.OK), await demote.Content.ReadAsStringAsync());
            Assert.That((await session.SendAsync(HttpMethod.Get, "/admin/session")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            var refund = await fresh.SendAsync(HttpMethod.Post, "/admin/orders/NO-SUCH-ORDER/refunds", new { });
            Assert.That(refund.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
            Assert.That(await refund.CodeAsync(), Is.EqualTo("PERMISSION_DENIED"));
        });
    }

    [Test]
    public async Task Disabling_EndsTheSessions_AndSignInFailsLikeAWrongPassword()
    {
        var op = await CreateOperatorAsync("operator");
        using var session = await SignedInAsync(op);
        using var admin = OperatorsEnvironment.Api.CreateAdminClient();

        var disable = await admin.PutAsync($"/admin/operators/{op.Id}", System.Net.Http.Json.JsonContent.Create(new { disabled = true }));

        using var again = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        var signIn = await again.SignInAsync(op.Username, op.Password);
        Assert.Multiple(async () =>
        {
            Assert.That(disable.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await session.SendAsync(HttpMethod.Get, "/admin/session")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(signIn.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await signIn.CodeAsync(), Is.EqualTo("SIGN_IN_FAILED"));
        });
    }
}
