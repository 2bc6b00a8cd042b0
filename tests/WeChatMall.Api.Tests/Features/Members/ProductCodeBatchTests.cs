using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Members.MemberTestData;
using static WeChatMall.Api.Tests.Features.Members.ProductCodeTestData;

namespace WeChatMall.Api.Tests.Features.Members;

public sealed partial class ProductCodeBatchTests
{
    static ApiFactory Api => MembersEnvironment.Api;

    [GeneratedRegex("^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")]
    private static partial Regex Printed();

    [Test]
    public async Task CreateBatch_AsCsv_ReturnsEveryCodeOnceAndStoresOnlyHashes()
    {
        var response = await PostBatchAsync(Api, new { name = "tea 2026", points = 50, count = 500 }, "text/csv");
        var csv = await response.Content.ReadAsStringAsync();
        var batchId = long.Parse(response.Headers.GetValues("X-Batch-Id").Single());
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var codes = lines.Skip(1).Select(l => l.Split(',')[0]).ToList();

        var storedHashes = (await Api.QueryAsync<byte[]>("SELECT code_hash FROM product_codes WHERE batch_id = @batchId", new { batchId })).ToList();
        var storedHex = storedHashes.Select(Convert.ToHexString).ToHashSet();
        var dump = string.Join("|", storedHashes.Select(h => Encoding.Latin1.GetString(h)));

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
            Assert.That(lines[0], Is.EqualTo("code,url"));
            Assert.That(codes, Has.Count.EqualTo(500));
            Assert.That(codes.Distinct().Count(), Is.EqualTo(500));
            Assert.That(codes, Has.All.Matches(Printed()));
            Assert.That(lines[1], Is.EqualTo($"{codes[0]},{BaseUrl}?c={codes[0].Replace("-", "")}"));
            Assert.That(storedHashes, Has.Count.EqualTo(500));
            // What is stored is the SHA-256 of the normalized code, and never the code itself.
            Assert.That(codes.Select(c => Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(c.Replace("-", ""))))), Is.EquivalentTo(storedHex));
            Assert.That(codes.Any(c => dump.Contains(c.Replace("-", "")) || dump.Contains(c)), Is.False);
        });
    }

    [Test]
    public async Task CreateBatch_Twice_CodesAreNeverReturnedAgain()
    {
        var batch = await CreateBatchAsync(count: 5);
        using var admin = Api.CreateAdminClient();

        var detail = await admin.GetStringAsync($"/admin/product-codes/batches/{batch.Id}");
        var list = await admin.GetStringAsync("/admin/product-codes/batches");

        Assert.Multiple(() =>
        {
            foreach (var code in batch.Codes)
            {
                Assert.That(detail, Does.Not.Contain(code).And.Not.Contain(code.Replace("-", "")));
                Assert.That(list, Does.Not.Contain(code).And.Not.Contain(code.Replace("-", "")));
            }
        });
    }

    [Test]
    public async Task CreateBatch_100000Codes_InsertsAllQuickly()
    {
        var started = DateTime.UtcNow;
        var response = await PostBatchAsync(Api, new { name = "big", points = 1, count = 100_000 }, "text/csv");
        var elapsed = DateTime.UtcNow - started;
        var batchId = long.Parse(response.Headers.GetValues("X-Batch-Id").Single());
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Multiple(async () =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(lines, Has.Length.EqualTo(100_001));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM product_codes WHERE batch_id = @batchId", new { batchId }), Is.EqualTo(100_000));
            Assert.That(elapsed, Is.LessThan(TimeSpan.FromSeconds(60)));
        });
    }

    [Test]
    public async Task CreateBatch_InvalidCountOrUnknownProduct_Returns400AndCreatesNothing()
    {
        // Other fixtures create batches in the same database meanwhile: count only this test's (by its unique name).
        var name = "invalid " + Guid.NewGuid().ToString("N");

        var zero = await PostBatchAsync(Api, new { name, points = 10, count = 0 }, "application/json");
        var tooMany = await PostBatchAsync(Api, new { name, points = 10, count = 100_001 }, "application/json");
        var noProduct = await PostBatchAsync(Api, new { productId = 987654321, name, points = 10, count = 1 }, "application/json");

        Assert.Multiple(async () =>
        {
            Assert.That(zero.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(tooMany.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(noProduct.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
            Assert.That(await Api.ScalarAsync<long>("SELECT COUNT(*) FROM product_code_batches WHERE name = @name", new { name }), Is.Zero);
        });
    }

    [Test]
    public async Task CreateBatch_WithoutAdminKey_Returns401()
    {
        using var client = Api.CreateClient();
        var response = await client.PostAsync("/admin/product-codes/batches", JsonContent(new { name = "x", points = 10, count = 1 }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task ListAndGet_AfterClaim_CountTotalAndClaimed()
    {
        var batch = await CreateBatchAsync(count: 4);
        using var member = await LoginAsync();
        await ClaimAsync(member.Client, batch.Codes[0]);
        using var admin = Api.CreateAdminClient();

        var detail = await ReadAsync(await admin.GetAsync($"/admin/product-codes/batches/{batch.Id}"));
        var listed = (await ReadAsync(await admin.GetAsync("/admin/product-codes/batches"))).EnumerateArray()
            .Single(b => b.GetProperty("id").GetInt64() == batch.Id);
        var missing = await admin.GetAsync("/admin/product-codes/batches/987654321");

        Assert.Multiple(() =>
        {
            Assert.That(detail.GetProperty("total").GetInt32(), Is.EqualTo(4));
            Assert.That(detail.GetProperty("claimed").GetInt32(), Is.EqualTo(1));
            Assert.That(listed.GetProperty("claimed").GetInt32(), Is.EqualTo(1));
            Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        });
    }

    static StringContent JsonContent(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}
