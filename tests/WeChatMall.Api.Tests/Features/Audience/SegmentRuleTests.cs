using System.Net;
using System.Net.Http.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Audience.AudienceShop;

namespace WeChatMall.Api.Tests.Features.Audience;

/// <summary>Rules that cannot be compiled are a 400 naming what is wrong; values never become SQL.</summary>
public sealed class SegmentRuleTests
{
    static ApiFactory Api => AudienceEnvironment.Api;

    static IEnumerable<TestCaseData> BadRules()
    {
        yield return new TestCaseData(new { all = new object[] { new { field = "paidOrders", op = ">=", value = 1 }, new { field = "shoeSize", op = "=", value = 42 } } },
            "SEGMENT_UNKNOWN_FIELD", "shoeSize").SetName("Count_UnknownField_Returns400NamingIt");
        yield return new TestCaseData(new { field = "paidOrders", op = "LIKE", value = 1 }, "SEGMENT_UNKNOWN_OPERATOR", "LIKE")
            .SetName("Count_UnknownOperator_Returns400NamingIt");
        yield return new TestCaseData(new { field = "paidOrders", op = ">=", value = "1; DROP TABLE members" }, "SEGMENT_INVALID_VALUE", "paidOrders")
            .SetName("Count_TextForANumber_Returns400");
        yield return new TestCaseData(new { either = new object[0] }, "SEGMENT_RULE_INVALID", "$").SetName("Count_UnknownNode_Returns400");
    }

    [TestCase("GET", "/admin/segments/999999999", "SEGMENT_NOT_FOUND")]
    [TestCase("DELETE", "/admin/segments/999999999", "SEGMENT_NOT_FOUND")]
    [TestCase("GET", "/admin/segments/999999999/members", "SEGMENT_NOT_FOUND")]
    [TestCase("GET", "/admin/tags/999999999", "TAG_NOT_FOUND")]
    [TestCase("DELETE", "/admin/tags/999999999", "TAG_NOT_FOUND")]
    public async Task Missing_SegmentOrTag_Is404WithItsCode(string method, string path, string code)
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await ReadAsync(response)).GetProperty("code").GetString(), Is.EqualTo(code));
    }

    [TestCaseSource(nameof(BadRules))]
    public async Task Count_BadRule_Returns400WithCode(object rule, string code, string named)
    {
        using var admin = Api.CreateAdminClient();
        var count = await admin.PostAsJsonAsync("/admin/segments/count", new { rule });
        var save = await admin.PostAsJsonAsync("/admin/segments", new { name = "bad", rule });
        var body = await ReadAsync(count);

        Assert.Multiple(async () =>
        {
            Assert.That(count.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo(code));
            Assert.That(body.GetRawText(), Does.Contain(named));
            Assert.That(save.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), await save.Content.ReadAsStringAsync());
        });
    }

    [Test]
    public async Task Count_QuoteInATextValue_IsAValueNotSql()
    {
        using var admin = Api.CreateAdminClient();
        var response = await admin.PostAsJsonAsync("/admin/segments/count", new { rule = new { field = "channel", op = "=", value = "x' OR '1'='1" } });
        var body = await ReadAsync(response);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), body.ToString());
        Assert.That(body.GetProperty("count").GetInt64(), Is.Zero);
    }

    [Test]
    public async Task SavedSegment_CountMembersAndCsvExport_ListTheSameMembers()
    {
        using var admin = Api.CreateAdminClient();
        var a = await NewMemberAsync(officialAccount: false);
        var b = await NewMemberAsync(officialAccount: false);
        var tag = await ReadAsync(await admin.PostAsJsonAsync("/admin/tags", new { name = "s-" + Guid.NewGuid().ToString("N")[..10] }));
        var tagId = tag.GetProperty("id").GetInt64();
        foreach (var m in new[] { a, b }) await admin.PostAsJsonAsync($"/admin/members/{m.MemberId}/tags", new { tagId });
        var created = await admin.PostAsJsonAsync("/admin/segments", new { name = "tagged", rule = new { field = "tag", op = "in", value = new[] { tagId } } });
        var id = (await ReadAsync(created)).GetProperty("id").GetInt64();

        var count = (await ReadAsync(await admin.GetAsync($"/admin/segments/{id}/count"))).GetProperty("count").GetInt64();
        var csv = await admin.GetStringAsync($"/admin/segments/{id}/export");
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(() =>
        {
            Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(count, Is.EqualTo(2));
            Assert.That(lines[0], Does.StartWith("member_id,tier,points"));
            Assert.That(lines.Skip(1).Select(l => long.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)),
                Is.EqualTo(new[] { a.MemberId, b.MemberId }.Order()));
        });
    }
}
