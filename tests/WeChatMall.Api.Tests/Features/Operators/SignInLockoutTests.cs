using System.Net;
using static WeChatMall.Api.Tests.Features.Operators.OperatorTestData;

namespace WeChatMall.Api.Tests.Features.Operators;

public sealed class SignInLockoutTests
{
    [Test]
    public async Task SignIn_AfterFiveWrongPasswordsForAnAccount_IsLockedFromAnyAddress_EvenWithTheRightPassword()
    {
        var op = await CreateOperatorAsync("operator");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var guesser = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());   // a new address each time
            statuses.Add((await guesser.SignInAsync(op.Username, "wrong password " + i)).StatusCode);
        }
        using var owner = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());

        var locked = await owner.SignInAsync(op.Username, op.Password);

        Assert.Multiple(async () =>
        {
            Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(await locked.CodeAsync(), Is.EqualTo("SIGN_IN_LOCKED"));
            Assert.That(int.Parse(locked.Headers.GetValues("Retry-After").Single()), Is.InRange(1, 15 * 60));
            Assert.That(owner.SessionCookie, Is.Null);
        });
    }

    [Test]
    public async Task SignIn_AfterFiveFailuresFromOneAddress_LocksThatAddressForOtherAccounts_NotOtherAddresses()
    {
        var victim = await CreateOperatorAsync("viewer");
        var ip = NewClientIp();
        using var guesser = new ConsoleClient(OperatorsEnvironment.Api, ip);
        for (var i = 0; i < 5; i++) await guesser.SignInAsync("nobody-" + i + Guid.NewGuid().ToString("N")[..6], "wrong password");

        var sameAddress = await guesser.SignInAsync(victim.Username, victim.Password);
        using var elsewhere = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        var otherAddress = await elsewhere.SignInAsync(victim.Username, victim.Password);

        Assert.Multiple(async () =>
        {
            Assert.That(sameAddress.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(await sameAddress.CodeAsync(), Is.EqualTo("SIGN_IN_LOCKED"));
            Assert.That(otherAddress.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task SignIn_FourFailuresThenSuccess_ClearsTheAccountCount()
    {
        var op = await CreateOperatorAsync("viewer");
        for (var i = 0; i < 4; i++)
        {
            using var typo = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
            await typo.SignInAsync(op.Username, "typo " + i + " password");
        }
        using var ok = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        Assert.That((await ok.SignInAsync(op.Username, op.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var oneMoreTypo = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        await oneMoreTypo.SignInAsync(op.Username, "one more typo");

        using var again = new ConsoleClient(OperatorsEnvironment.Api, NewClientIp());
        Assert.That((await again.SignInAsync(op.Username, op.Password)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
