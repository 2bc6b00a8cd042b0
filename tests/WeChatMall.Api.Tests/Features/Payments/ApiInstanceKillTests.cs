using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WeChatMall.Api.Tests.Features.Catalog;
using WeChatMall.Api.Tests.TestHost;
using static WeChatMall.Api.Tests.TestHost.ApiProcesses;

namespace WeChatMall.Api.Tests.Features.Payments;

/// <summary>
/// Two API instances as real processes behind HAProxy (as scripts/cluster.sh runs them), WeChat Pay played by the
/// sandbox, which notifies through HAProxy and retries what is not answered 2xx. Needs haproxy (installed by
/// scripts/cluster.sh): category ClusterFaults, run by scripts/faults.sh.
/// </summary>
[Category(ClusterScript.Category), NonParallelizable]
public sealed class ApiInstanceKillTests
{
    /// <summary>
    /// Fault: one API instance killed with kill -9 (SIGKILL of the process, no shutdown) while WeChat Pay's payment
    /// notifications are arriving. Users see: every order paid (the notification that the dead instance did not answer
    /// is resent, by HAProxy or by WeChat Pay's retry, and handled by the other instance). Nothing lost, nothing twice:
    /// every order is paid exactly once (one paid event), with WeChat's transaction id.
    /// </summary>
    [Test, CancelAfter(300_000)]
    public async Task Api_instance_killed_mid_payment_notifications_the_other_instance_finishes_them_once()
    {
        ClusterScript.Require();
        const int Orders = 16;
        await using var sandbox = await SandboxHost.StartAsync(new Dictionary<string, string?> { ["Sandbox:Merchant:NotifyRetryScale"] = "0.02" });
        var database = await TestServers.CreateDatabaseAsync("wcm_kill");
        var (frontPort, port1, port2) = (FreePort(), FreePort(), FreePort());
        var front = $"http://127.0.0.1:{frontPort}";
        var settings = ApiProcesses.Settings(PaymentsEnvironment.Settings(sandbox, front), database);
        settings["Orders:MaxOpenUnpaidOrders"] = "100";
        settings["RateLimits:PlaceOrder:Limit"] = "1000";
        settings["RateLimits:Pay:Limit"] = "1000";

        using var api1 = StartApi(settings, port1);
        using var api2 = StartApi(settings, port2);
        using var haproxy = StartHaproxy(frontPort, port1, port2);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(front) };
            await WaitReadyAsync(http, api1, api2);

            // A shopper, a product and the orders, all through HAProxy.
            var openId = "o_mp_" + Guid.NewGuid().ToString("N")[..20];
            var minted = await sandbox.Client.PostAsJsonAsync("/sandbox/miniprogram/codes", new { openId });
            var code = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
            var login = await (await http.PostAsJsonAsync("/api/auth/login", new { code })).Content.ReadFromJsonAsync<JsonElement>();
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.GetProperty("token").GetString());
            http.DefaultRequestHeaders.Add("X-Admin-Key", ApiFactory.AdminKey);
            var category = await CatalogTestData.NewCategoryAsync(http);
            var product = await CatalogTestData.NewProductAsync(http, CatalogTestData.Product(category, "Tea", true, CatalogTestData.Sku("green", "250g", 990, 100)));
            var sku = product.GetProperty("skus")[0].GetProperty("id").GetInt64();
            var address = await http.PostAsJsonAsync("/api/me/addresses", new
            {
                recipient = "张三", phone = "13812345678", province = "浙江省", city = "杭州市", district = "西湖区", detail = "龙井路 1 号",
            });
            var addressId = (await address.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var orderNos = new List<string>();
            for (var i = 0; i < Orders; i++)
            {
                var placed = await http.PostAsJsonAsync("/api/orders", new { lines = new[] { new { skuId = sku, quantity = 1 } }, addressId });
                Assert.That(placed.StatusCode, Is.EqualTo(HttpStatusCode.Created), await placed.Content.ReadAsStringAsync());
                var orderNo = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("orderNo").GetString()!;
                var pay = await http.PostAsync($"/api/orders/{orderNo}/pay", null);
                Assert.That(pay.StatusCode, Is.EqualTo(HttpStatusCode.OK), await pay.Content.ReadAsStringAsync());
                orderNos.Add(orderNo);
            }

            // The shopper pays every order at once. Instance 1 is frozen (SIGSTOP) first, so the notifications HAProxy
            // hands it are accepted and never answered; it is killed (SIGKILL) past the sandbox's 3 s notify timeout.
            Signal(api1, "STOP");
            var paying = orderNos.Select(n => sandbox.Client.PostAsync($"/sandbox/pay/{n}/pay", null)).ToList();
            await Task.Delay(3_500);
            api1.Kill();
            // Kill() only sends SIGKILL; HasExited is true once the exit has been reaped (WaitForExit), not at once.
            api1.WaitForExit(10_000);
            await Task.WhenAll(paying);

            var statuses = await Eventually.MatchAsync(
                () => QueryAsync<string>(database, "SELECT status FROM orders WHERE order_no IN @orderNos", new { orderNos }),
                s => s.Count == Orders && s.All(x => x == "paid"), timeoutMs: 60_000);
            var paidEvents = await QueryAsync<long>(database,
                "SELECT COUNT(*) FROM order_events e JOIN orders o ON o.id = e.order_id WHERE o.order_no IN @orderNos AND e.to_status = 'paid' GROUP BY o.id",
                new { orderNos });
            var withTransaction = await QueryAsync<string>(database,
                "SELECT order_no FROM orders WHERE order_no IN @orderNos AND transaction_id IS NOT NULL", new { orderNos });
            var failedAttempts = 0;
            foreach (var n in orderNos)
            {
                var list = await sandbox.Client.GetFromJsonAsync<JsonElement>($"/sandbox/pay/notifications?outTradeNo={n}");
                failedAttempts += list.EnumerateArray().SelectMany(e => e.TryGetProperty("attempts", out var a) ? a.EnumerateArray() : Enumerable.Empty<JsonElement>())
                    .Count(a => !(a.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.Number && st.GetInt32() / 100 == 2));
            }
            TestContext.Out.WriteLine($"instance 1 killed; notification attempts not answered 2xx (resent by WeChat Pay): {failedAttempts}");

            Assert.Multiple(() =>
            {
                Assert.That(api1.HasExited, Is.True, "instance 1 was killed");
                Assert.That(failedAttempts, Is.GreaterThan(0), "notifications were in flight on instance 1 when it died");
                Assert.That(statuses, Has.Count.EqualTo(Orders).And.All.EqualTo("paid"));
                Assert.That(paidEvents, Has.Count.EqualTo(Orders).And.All.EqualTo(1), "each order paid once");
                Assert.That(withTransaction, Has.Count.EqualTo(Orders));
            });
        }
        finally
        {
            foreach (var p in new[] { api1, api2, haproxy }) if (!p.HasExited) p.Kill();
            await TestServers.DropDatabaseAsync(database);
        }
    }
}
