using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Operators;

/// <summary>
/// One API instance for the operator tests, on Kestrel behind a "reverse proxy" (127.0.0.1 is a known proxy), so each
/// test plays its own client address with X-Forwarded-For and the per-IP sign-in lockout of one test does not touch another.
/// Passwords are hashed at the lowest BCrypt cost: the tests sign in hundreds of times.
/// </summary>
[SetUpFixture]
public sealed class OperatorsEnvironment
{
    public static ApiFactory Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => Api = await ApiFactory.StartAsync(new Dictionary<string, string?>
    {
        ["Http:KnownProxies:0"] = "127.0.0.1",
        ["Operators:PasswordWorkFactor"] = "4",
    }, kestrel: true);

    [OneTimeTearDown]
    public async Task StopAsync() => await Api.DisposeAsync();
}
