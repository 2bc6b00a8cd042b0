using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>A sandbox for the fixture and our WeChat library's clients pointed at it.</summary>
public abstract class SandboxClientFixture
{
    protected SandboxHost sandbox = null!;
    protected ServiceProvider services = null!;

    [OneTimeSetUp]
    public async Task StartSandboxAsync()
    {
        sandbox = await SandboxHost.StartAsync();
        services = SandboxClients.WeChat(sandbox);
    }

    [OneTimeTearDown]
    public async Task StopSandboxAsync()
    {
        await services.DisposeAsync();
        await sandbox.DisposeAsync();
    }
}
