using System.Security.Cryptography;
using System.Text.Json;

namespace WeChatMall.WeChat.Tests.Pay;

static class PayVectors
{
    static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(PathOf("vectors.json"))).RootElement);

    public static string PathOf(string file) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Vectors", file);

    public static string Pem(string file) => File.ReadAllText(PathOf(file));

    public static string Get(params string[] path)
    {
        var e = Root.Value;
        foreach (var p in path)
            e = e.GetProperty(p);
        return e.GetString()!;
    }

    public static RSA PrivateKey() => WeChatMall.WeChat.Pay.PemKeys.LoadPrivateKey(Pem("test-key.pkcs8.pem"));

    public static RSA PublicKey() => WeChatMall.WeChat.Pay.PemKeys.LoadPublicKey(Pem("test-key.public.pem"));
}
