using Microsoft.Playwright;

namespace WeChatMall.Browser.Tests;

/// <summary>
/// Every expectation waits up to 15 s (Playwright's default is 5 s): on the shared 2-core machine under a full suite, a
/// sign-in round trip (sandbox code → API → page) took longer than 5 s and failed ShopTests twice, passing alone.
/// </summary>
[SetUpFixture]
public sealed class BrowserTestDefaults
{
    [OneTimeSetUp]
    public void Raise() => Assertions.SetDefaultExpectTimeout(15_000);
}
