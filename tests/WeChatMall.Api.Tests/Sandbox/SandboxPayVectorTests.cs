using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Sandbox;

/// <summary>
/// The sandbox's verifier against the spec's PAY-6 vector (a JSAPI prepay signed with the published test key), so the
/// sandbox and our client cannot agree on a wrong signature scheme. The clock is set to the vector's timestamp.
/// </summary>
public sealed class SandboxPayVectorTests
{
    private const string Nonce = "593BEC0C930BF1AFEB40B4A08C8FB242";
    private const string Timestamp = "1554208460";
    private const string Serial = "1DDE55AD98ED71D6EDD4A4A16996DE7B47773A8C";
    private SandboxHost sandbox = null!;

    private static JsonElement Vector => JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Vectors", "vectors.json"))).RootElement.GetProperty("derived").GetProperty("pay_req_post");

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(long.Parse(Timestamp)).AddSeconds(30));
        sandbox = await SandboxHost.StartAsync(
            new Dictionary<string, string?>
            {
                ["Sandbox:Merchant:SerialNo"] = Serial,
                ["Sandbox:MiniProgram:AppId"] = "wxd678efh567hg6787",
            },
            time, merchantPublicKeyPem: File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Vectors", "test-key.public.pem")));
    }

    [OneTimeTearDown]
    public async Task StopAsync() => await sandbox.DisposeAsync();

    private Task<HttpResponseMessage> PostAsync(string body, string signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v3/pay/transactions/jsapi")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Authorization",
            $"WECHATPAY2-SHA256-RSA2048 mchid=\"{SandboxHost.MchId}\",nonce_str=\"{Nonce}\",signature=\"{signature}\",timestamp=\"{Timestamp}\",serial_no=\"{Serial}\"");
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("vector-test", "1"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return sandbox.Client.SendAsync(request);
    }

    [Test]
    public async Task SpecVectorPay6_IsAcceptedAndCreatesTheOrder()
    {
        var response = await PostAsync(Vector.GetProperty("body").GetString()!, Vector.GetProperty("signature").GetString()!);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
            Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("prepay_id").GetString(), Does.StartWith("wx"));
        });
    }

    [Test]
    public async Task SpecVectorPay6_WithATamperedBody_Gets401SignError()
    {
        var tampered = Vector.GetProperty("body").GetString()!.Replace("\"total\":100", "\"total\":1", StringComparison.Ordinal);

        var response = await PostAsync(tampered, Vector.GetProperty("signature").GetString()!);
        var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(error.GetProperty("code").GetString(), Is.EqualTo("SIGN_ERROR"));
        });
    }
}
