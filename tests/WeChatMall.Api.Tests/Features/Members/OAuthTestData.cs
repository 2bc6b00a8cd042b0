using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Members;

/// <summary>The three hops of web OAuth, followed by hand so each redirect can be inspected.</summary>
public static class OAuthTestData
{
    public const string ShopHost = "shop.example.com";

    public static string NewOaOpenId() => "o_oa_" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A browser on the API: keeps cookies, does not follow redirects.</summary>
    public static HttpClient NewBrowser(WebApplicationFactory<Program>? api = null) => (api ?? MembersEnvironment.Api).CreateClient(
        new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static async Task<HttpResponseMessage> AuthorizeAsync(HttpClient browser, string returnUrl, string scope = "base") =>
        await browser.GetAsync($"/api/oauth/authorize?scope={scope}&returnUrl={Uri.EscapeDataString(returnUrl)}");

    /// <summary>WeChat's part: the sandbox "consents" as <paramref name="openId"/> and redirects to our callback.</summary>
    public static async Task<Uri> ConsentAsync(HttpResponseMessage authorize, string openId, bool snapshot = false)
    {
        Assert.That(authorize.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await authorize.Content.ReadAsStringAsync());
        var url = authorize.Headers.Location!.AbsoluteUri.Replace("#wechat_redirect", "")
            + "&openid=" + Uri.EscapeDataString(openId) + (snapshot ? "&snapshot=true" : "");
        using var wechat = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        var consent = await wechat.GetAsync(url);
        Assert.That(consent.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await consent.Content.ReadAsStringAsync());
        return consent.Headers.Location!;
    }

    /// <summary>Authorize → consent → callback in one browser; returns the callback's response.</summary>
    public static async Task<(HttpResponseMessage Callback, Uri CallbackUrl)> SignInAsync(
        HttpClient browser, string openId, string returnUrl = "/shop/home", string scope = "base", bool snapshot = false)
    {
        var callbackUrl = await ConsentAsync(await AuthorizeAsync(browser, returnUrl, scope), openId, snapshot);
        return (await browser.GetAsync(callbackUrl.PathAndQuery), callbackUrl);
    }

    public static string StateOf(Uri url) => System.Web.HttpUtility.ParseQueryString(url.Query)["state"]!;

    /// <summary>The values in the fragment of the final redirect (token, expiresAt, memberId, isNewMember).</summary>
    public static Dictionary<string, string> Fragment(HttpResponseMessage callback)
    {
        var location = callback.Headers.Location!.OriginalString;
        var hash = location.IndexOf('#');
        Assert.That(hash, Is.GreaterThan(0), $"no fragment in {location}");
        return location[(hash + 1)..].Split('&').Select(p => p.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
    }
}
