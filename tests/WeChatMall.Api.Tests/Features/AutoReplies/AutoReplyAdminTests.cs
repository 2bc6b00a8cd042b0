using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Features.AutoReplies;

namespace WeChatMall.Api.Tests.Features.AutoReplies;

public sealed class AutoReplyAdminTests
{
    private static HttpClient Admin() => TestEnvironment.Api.CreateAdminClient();

    public static object KeywordRule(string keyword, string reply, string match = "exact", int priority = 0) => new
    {
        name = $"kw {keyword}", trigger = "keyword", matchType = match, pattern = keyword, priority,
        replies = new[] { new { type = "text", content = reply } },
    };

    [Test]
    public async Task Create_ThenGet_RoundTripsTheRule()
    {
        var keyword = Unique("hello");
        var created = await Admin().PostAsJsonAsync("/admin/auto-replies", KeywordRule(keyword, "hi {nickname}"));
        var rule = await created.Content.ReadFromJsonAsync<AutoReplyRule>(JsonSerializerOptions.Web);

        var fetched = await Admin().GetFromJsonAsync<AutoReplyRule>(created.Headers.Location, JsonSerializerOptions.Web);

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(fetched!.Id, Is.EqualTo(rule!.Id));
            Assert.That(fetched.Pattern, Is.EqualTo(keyword));
            Assert.That(fetched.Replies.Single().Content, Is.EqualTo("hi {nickname}"));
        });
    }

    [Test]
    public async Task Create_WithBadRegex_Returns400NamingPatternAndReason()
    {
        var response = await Admin().PostAsJsonAsync("/admin/auto-replies", KeywordRule("(unclosed", "x", match: "regex"));
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(problem.GetProperty("errors").GetProperty("Pattern")[0].GetString(), Does.StartWith("Invalid regular expression:"));
        });
    }

    [Test]
    public async Task Create_WithMissingFields_Returns400ForEachField()
    {
        var response = await Admin().PostAsJsonAsync("/admin/auto-replies", new { trigger = "keyword", replies = Array.Empty<object>() });
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            foreach (var field in new[] { "Name", "MatchType", "Pattern", "Replies" })
                Assert.That(errors.TryGetProperty(field, out _), Is.True, field);
        });
    }

    [Test]
    public async Task Create_WithMalformedJson_Returns400()
    {
        var response = await Admin().PostAsync("/admin/auto-replies", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task AdminEndpoints_WithoutOrWithWrongKey_Return401()
    {
        using var anonymous = TestEnvironment.Api.CreateClient();
        using var wrong = TestEnvironment.Api.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Admin-Key", "not-the-admin-key-at-all");

        Assert.Multiple(async () =>
        {
            Assert.That((await anonymous.GetAsync("/admin/auto-replies")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That((await wrong.GetAsync("/admin/auto-replies")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }

    [Test]
    public async Task UpdateAndDelete_UnknownId_Return404()
    {
        var put = await Admin().PutAsJsonAsync("/admin/auto-replies/987654321", KeywordRule("x", "y"));
        var delete = await Admin().DeleteAsync("/admin/auto-replies/987654321");

        Assert.Multiple(() =>
        {
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(delete.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    [Test]
    public async Task TestEndpoint_PicksHighestPriorityMatch_AndRendersPlaceholders()
    {
        var word = Unique("promo");
        await Admin().PostAsJsonAsync("/admin/auto-replies", KeywordRule(word, "low", match: "contains", priority: 1));
        await Admin().PostAsJsonAsync("/admin/auto-replies", KeywordRule(word, "high for {nickname}", match: "contains", priority: 5));

        var result = await Admin().PostAsJsonAsync("/admin/auto-replies/test", new { kind = "text", text = $"any {word} today", nickname = "Ann" });
        var body = await result.Content.ReadFromJsonAsync<TestAutoReply.Response>(JsonSerializerOptions.Web);

        Assert.Multiple(() =>
        {
            Assert.That(body!.Matched, Is.True);
            Assert.That(body.Reply!.Content, Is.EqualTo("high for Ann"));
        });
    }

    [Test]
    public async Task Edit_OnOneInstance_IsSeenByTheNextReadOnAnother()
    {
        await using var other = TestEnvironment.Api.StartSibling();
        using var otherAdmin = other.CreateAdminClient();
        var word = Unique("edit");
        var created = await Admin().PostAsJsonAsync("/admin/auto-replies", KeywordRule(word, "before"));
        var rule = await created.Content.ReadFromJsonAsync<AutoReplyRule>(JsonSerializerOptions.Web);
        var probe = new { kind = "text", text = word };
        var before = await (await otherAdmin.PostAsJsonAsync("/admin/auto-replies/test", probe)).Content.ReadFromJsonAsync<TestAutoReply.Response>(JsonSerializerOptions.Web);

        await Admin().PutAsJsonAsync($"/admin/auto-replies/{rule!.Id}", KeywordRule(word, "after"));
        var after = await (await otherAdmin.PostAsJsonAsync("/admin/auto-replies/test", probe)).Content.ReadFromJsonAsync<TestAutoReply.Response>(JsonSerializerOptions.Web);

        Assert.Multiple(() =>
        {
            Assert.That(before!.Reply!.Content, Is.EqualTo("before"));
            Assert.That(after!.Reply!.Content, Is.EqualTo("after"));
        });
    }

    private static string Unique(string word) => $"{word}{Guid.NewGuid():N}"[..(word.Length + 8)];
}
