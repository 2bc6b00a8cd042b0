using System.Net;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.Features.Orders.OrderTestData;

namespace WeChatMall.Api.Tests.Features.Orders;

/// <summary>
/// Faults of the database under order placement, on the scale-out cluster (scripts/cluster.sh: HAProxy in front of
/// three Galera nodes; skipped outside scripts/faults.sh and scripts/test.sh --cluster).
/// </summary>
[Category(ClusterScript.Category), NonParallelizable]
public sealed class GaleraNodeKillTests
{
    [SetUp]
    public void RequireCluster() => ClusterScript.Require();

    /// <summary>
    /// Fault: the Galera node every write goes through is killed (SIGKILL) while a shopper places orders. Users see:
    /// each tap answered 201 or a 503 DATABASE_UNAVAILABLE with Retry-After (never a 500), and the retried tap (same
    /// Idempotency-Key) placed once HAProxy moved to the next node. Nothing half done: every order has its lines and its
    /// stock taken, no tap placed twice. Recovery without manual steps: the killed node, started again, rejoins (IST)
    /// while the writes stay on the node that took over, and the order placed then is read back at once.
    /// </summary>
    [Test, CancelAfter(240_000)]
    public async Task Galera_node_killed_during_order_placement_gives_201_or_503_and_no_half_or_double_orders()
    {
        const int Stock = 500, Taps = 40;
        // An instance that lets one shopper tap 40 times (rate limit, open unpaid orders), on the same database.
        await using var api = OrdersEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["RateLimits:PlaceOrder:Limit"] = "1000", ["Orders:MaxOpenUnpaidOrders"] = "1000",
        });
        using var login = await LoginAsync();
        var client = api.CreateClient();
        client.DefaultRequestHeaders.Authorization = login.Client.DefaultRequestHeaders.Authorization;
        using var s = new Shopper(login.MemberId, client);
        var sku = (await NewSkusAsync(Stock, 1200))[0];
        var address = await NewAddressAsync(s);
        var seen = new List<HttpStatusCode>();
        var placed = new Dictionary<string, string>(); // Idempotency-Key → order number
        var killed = "";
        try
        {
            for (var i = 0; i < Taps; i++)
            {
                if (i == 10) killed = (await ClusterScript.RunAsync("kill-active-galera-node")).Trim();
                var key = $"tap-{i}-{Guid.NewGuid():N}";
                for (var attempt = 0; attempt < 60 && !placed.ContainsKey(key); attempt++)
                {
                    using var response = await PlaceAsync(s, new { lines = new[] { new { skuId = sku, quantity = 1 } }, addressId = address }, key);
                    seen.Add(response.StatusCode);
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                    if (response.StatusCode == HttpStatusCode.Created) placed[key] = body.GetProperty("orderNo").GetString()!;
                    else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        Assert.That(body.GetProperty("code").GetString(), Is.EqualTo("DATABASE_UNAVAILABLE"));
                        Assert.That(response.Headers.RetryAfter, Is.Not.Null);
                        await Task.Delay(500);
                    }
                    else Assert.Fail($"tap {i}: {(int)response.StatusCode} {body}");
                }
            }
        }
        finally
        {
            if (killed.Length > 0) await ClusterScript.RunAsync("start-galera-node", killed);
        }
        // After the node is back (HAProxy stays on the node that took over): one more order, no manual step between.
        var after = await PlaceOkAsync(s, address, [(sku, 1)]);

        var orders = await OrdersEnvironment.Api.QueryAsync<string>("SELECT order_no FROM orders WHERE member_id = @m", new { m = s.MemberId });
        var withoutLines = await OrdersEnvironment.Api.ScalarAsync<long>(
            "SELECT COUNT(*) FROM orders o WHERE o.member_id = @m AND NOT EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id)", new { m = s.MemberId });
        var stock = await StockAsync(sku);
        TestContext.Out.WriteLine($"answers: {string.Join(", ", seen.GroupBy(x => x).Select(g => $"{(int)g.Key}×{g.Count()}"))}");

        Assert.Multiple(() =>
        {
            Assert.That(placed, Has.Count.EqualTo(Taps), "every tap placed in the end");
            Assert.That(orders, Is.EquivalentTo(placed.Values.Append(after.GetProperty("orderNo").GetString()!)), "one order per tap, none twice");
            Assert.That(withoutLines, Is.Zero, "no half orders");
            Assert.That(stock, Is.EqualTo(Stock - Taps - 1), "stock taken once per order");
        });
    }

    /// <summary>
    /// Fault: MariaDB restarted, every Galera node stopped and started again (a maintenance restart). Users see: 503
    /// DATABASE_UNAVAILABLE with Retry-After while it is down, never a 500; the same API instance (not restarted)
    /// places orders again once it is back. Nothing lost: the order placed before the restart is there, stock matches.
    /// </summary>
    [Test, CancelAfter(240_000)]
    public async Task MariaDB_restarted_answers_503_meanwhile_and_recovers_without_restarting_the_api()
    {
        using var s = await LoginAsync();
        var sku = (await NewSkusAsync(10, 990))[0];
        var address = await NewAddressAsync(s);
        var before = await PlaceOkAsync(s, address, [(sku, 1)]);
        HttpStatusCode down;
        string? code;
        try
        {
            await ClusterScript.RunAsync("stop-galera");
            using var response = await PlaceAsync(s, new { lines = new[] { new { skuId = sku, quantity = 1 } }, addressId = address });
            down = response.StatusCode;
            code = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.TryGetProperty("code", out var c) ? c.GetString() : null;
        }
        finally
        {
            await ClusterScript.RunAsync("start-galera");
        }
        HttpStatusCode after = 0;
        JsonElement placed = default;
        for (var i = 0; i < 40 && after != HttpStatusCode.Created; i++)
        {
            using var response = await PlaceAsync(s, new { lines = new[] { new { skuId = sku, quantity = 1 } }, addressId = address }, "after-restart");
            after = response.StatusCode;
            placed = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
            if (after != HttpStatusCode.Created) await Task.Delay(500);
        }
        var orders = await OrdersEnvironment.Api.QueryAsync<string>("SELECT order_no FROM orders WHERE member_id = @m", new { m = s.MemberId });

        Assert.Multiple(async () =>
        {
            Assert.That(down, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(code, Is.EqualTo("DATABASE_UNAVAILABLE"));
            Assert.That(after, Is.EqualTo(HttpStatusCode.Created), placed.ToString());
            Assert.That(orders, Is.EquivalentTo(new[] { before.GetProperty("orderNo").GetString(), placed.GetProperty("orderNo").GetString() }));
            Assert.That(await StockAsync(sku), Is.EqualTo(8));
        });
    }
}
