using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace WeChatMall.WeChat.Tests;

/// <summary>A fresh local WeChat stub and a DI container pointed at it for each test; <typeparamref name="TClient"/> is the client under test.</summary>
internal abstract class StubbedClientTests<TClient> where TClient : notnull
{
    protected StubWeChatServer _stub = null!;
    ServiceProvider _sp = null!;
    protected TClient Client => _sp.GetRequiredService<TClient>();

    [SetUp]
    public async Task StartStub()
    {
        _stub = await StubWeChatServer.StartAsync();
        _sp = WeChatTestHost.Create(_stub);
    }

    [TearDown]
    public async Task StopStub()
    {
        await _sp.DisposeAsync();
        await _stub.DisposeAsync();
    }

    protected RecordedRequest Sent => _stub.ApiRequests.Single();

    protected static void AssertJson(RecordedRequest request, string expectedJson)
        => Assert.That(JsonNode.DeepEquals(JsonNode.Parse(request.Body), JsonNode.Parse(expectedJson)), Is.True, request.Body);
}
