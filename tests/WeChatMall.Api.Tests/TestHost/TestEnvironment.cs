using WeChatMall.Api.Tests.TestHost;

[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]

namespace WeChatMall.Api.Tests;

/// <summary>One API on a fresh database (migrated) and Redis prefix for the whole assembly.</summary>
[SetUpFixture]
public sealed class TestEnvironment
{
    public static ApiFactory Api { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => Api = await ApiFactory.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await Api.DisposeAsync();
}
