using System.Net.Http.Headers;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed record CodeBatch(long Id, IReadOnlyList<string> Codes);

public static class ProductCodeTestData
{
    public const string BaseUrl = "https://shop.example.com/c";

    public static async Task<HttpResponseMessage> PostBatchAsync(ApiFactory api, object body, string accept)
    {
        using var admin = api.CreateAdminClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/admin/product-codes/batches") { Content = JsonContent.Create(body) };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await admin.SendAsync(request);
    }

    public static async Task<CodeBatch> CreateBatchAsync(long points = 100, int count = 3, DateTime? expiresAt = null, ApiFactory? api = null)
    {
        var response = await PostBatchAsync(api ?? MembersEnvironment.Api, new { name = "test batch", points, count, expiresAt }, "application/json");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), await response.Content.ReadAsStringAsync());
        var body = await ReadAsync(response);
        return new CodeBatch(body.GetProperty("batch").GetProperty("id").GetInt64(),
            body.GetProperty("codes").EnumerateArray().Select(c => c.GetProperty("code").GetString()!).ToList());
    }

    public static Task<HttpResponseMessage> ClaimAsync(HttpClient member, string code) =>
        member.PostAsJsonAsync("/api/me/product-codes/claim", new { code });
}
