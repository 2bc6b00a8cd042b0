using System.Net;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Http;

/// <summary>
/// The /bench routes (scripts/bench.sh: process counters, GC pauses, thread-pool waits, catalog reads that skip the
/// cache) exist only with Bench:Enabled. Without it, as in production, each is an unknown route.
/// </summary>
public sealed class BenchRoutesOffTests
{
    ApiFactory api = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => api = await ApiFactory.StartAsync();

    [OneTimeTearDown]
    public async Task StopAsync() => await api.DisposeAsync();

    [TestCase("/bench/hello")]
    [TestCase("/bench/stats")]
    [TestCase("/bench/gc-pauses")]
    [TestCase("/bench/stalls")]
    [TestCase("/bench/catalog/products/uncached")]
    public async Task WithoutBenchEnabled_TheRouteDoesNotExist(string path)
    {
        using var client = api.CreateClient();
        using var response = await client.GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), path);
    }
}
