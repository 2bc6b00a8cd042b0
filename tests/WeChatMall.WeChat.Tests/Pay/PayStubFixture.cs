namespace WeChatMall.WeChat.Tests.Pay;

// One Kestrel stub per fixture; a fresh client (and merchant key) per test.
public abstract class PayStubFixture
{
    private protected PayStub Stub { get; private set; } = null!;
    private protected PayClientHarness Harness { get; private set; } = null!;

    [OneTimeSetUp]
    public async Task StartStub() => Stub = await PayStub.StartAsync();

    [OneTimeTearDown]
    public async Task StopStub() => await Stub.DisposeAsync();

    [SetUp]
    public void NewClient()
    {
        Stub.Requests.Clear();
        Stub.Reply = (_, _) => new StubReply(204);
        Harness = new PayClientHarness(Stub);
    }

    [TearDown]
    public void DisposeClient() => Harness.Dispose();
}
