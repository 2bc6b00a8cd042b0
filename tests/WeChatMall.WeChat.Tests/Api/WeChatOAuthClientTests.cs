using Microsoft.Extensions.DependencyInjection;
using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

internal sealed class WeChatOAuthClientTests : StubbedClientTests<WeChatOAuthClient>
{
    [Test]
    public void BuildAuthorizeUrl_UserInfoScope_EncodesRedirectAndEndsWithFragment()
        => Assert.That(Client.BuildAuthorizeUrl("https://shop.example/cb?x=1", OAuthScope.SnsapiUserInfo, "abc123"),
            Is.EqualTo($"https://open.example/connect/oauth2/authorize?appid={WeChatTestHost.OaAppId}"
                + "&redirect_uri=https%3A%2F%2Fshop.example%2Fcb%3Fx%3D1&response_type=code&scope=snsapi_userinfo&state=abc123#wechat_redirect"));

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("a&b")]
    public void BuildAuthorizeUrl_InvalidState_Rejected(string state)
        => Assert.Throws<ArgumentException>(() => Client.BuildAuthorizeUrl("https://x/cb", OAuthScope.SnsapiBase, state));

    [Test]
    public async Task ExchangeCode_SnapshotUser_FlagsIt()
    {
        _stub.Respond = r => r.Path == "/sns/oauth2/access_token" ? (200, """
            {"access_token":"WEB","expires_in":7200,"refresh_token":"RT","openid":"o1","scope":"snsapi_userinfo","is_snapshotuser":1,"unionid":"u1"}
            """) : null;
        var token = await Client.ExchangeCodeAsync("CODE", default);

        var sent = _stub.Requests.Single();
        Assert.That((sent.Method, sent.Query["appid"], sent.Query["secret"], sent.Query["code"], sent.Query["grant_type"]),
            Is.EqualTo(("GET", WeChatTestHost.OaAppId, "oa-secret", "CODE", "authorization_code")));
        Assert.That(token, Is.EqualTo(new OAuthAccessToken("WEB", 7200, "RT", "o1", "snsapi_userinfo", "u1", true)));
    }

    [Test]
    public void ExchangeCode_UsedCode_ThrowsCodeAlreadyUsed()
    {
        _stub.Respond = r => (200, """{"errcode":40163,"errmsg":"code been used"}""");
        var ex = Assert.ThrowsAsync<WeChatApiException>(() => Client.ExchangeCodeAsync("CODE", default));
        Assert.That(ex!.Kind, Is.EqualTo(WeChatErrorKind.CodeAlreadyUsed));
        Assert.That(_stub.TokenRequests, Is.Zero);
    }

    [Test]
    public async Task GetUserInfo_WebToken_SendsTokenAndOpenId()
    {
        _stub.Respond = r => r.Path == "/sns/userinfo"
            ? (200, """{"openid":"o1","nickname":"Nick","headimgurl":"https://img","privilege":[],"unionid":"u1"}""") : null;
        var info = await Client.GetUserInfoAsync("WEB", "o1", default);

        var sent = _stub.Requests.Single();
        Assert.That((sent.Query["access_token"], sent.Query["openid"], sent.Query["lang"]), Is.EqualTo(("WEB", "o1", "zh_CN")));
        Assert.That(info, Is.EqualTo(new OAuthUserInfo("o1", "Nick", "https://img", "u1")));
    }
}
