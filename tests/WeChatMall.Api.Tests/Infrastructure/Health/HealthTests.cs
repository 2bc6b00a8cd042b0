using System.Net;
using System.Text.Json;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure.Health;

public sealed class HealthTests
{
    [Test]
    public async Task Ready_WithMariaDbAndRedisUp_ReportsEachCheckHealthy()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var response = await client.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(body.GetProperty("checks").GetProperty("mysql").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
            Assert.That(body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        });
    }

    [Test]
    public async Task Ready_WithRedisUnreachable_Returns503NamingRedis()
    {
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200",
        });
        using var client = api.CreateClient();

        var response = await client.GetAsync("/health/ready");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(body.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(body.GetProperty("checks").GetProperty("mysql").GetProperty("status").GetString(), Is.EqualTo("Healthy"));
        });
    }

    [Test]
    public async Task Ready_WithDependenciesFailing_WritesNoExceptionText()
    {
        // A wrong password makes MySqlConnector's message name the user and host; Redis's names the endpoint.
        var mysql = new MySqlConnector.MySqlConnectionStringBuilder(TestServers.MySqlFor(TestEnvironment.Api.Database))
        { Password = "wrong-password", ConnectionTimeout = 2 };
        await using var api = TestEnvironment.Api.StartSibling(new Dictionary<string, string?>
        {
            ["ConnectionStrings:MySql"] = mysql.ConnectionString,
            ["Database:MigrateOnStartup"] = "false",
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200",
        });
        using var client = api.CreateClient();

        var response = await client.GetAsync("/health/ready");
        var text = await response.Content.ReadAsStringAsync();
        var checks = JsonDocument.Parse(text).RootElement.GetProperty("checks");

        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
            Assert.That(checks.GetProperty("mysql").GetProperty("status").GetString(), Is.EqualTo("Unhealthy"));
            Assert.That(checks.GetProperty("mysql").GetProperty("description").GetString(), Is.EqualTo("unavailable"));
            Assert.That(checks.GetProperty("redis").GetProperty("description").GetString(), Is.EqualTo("unavailable"));
            Assert.That(text, Does.Not.Contain("Access denied").And.Not.Contain("wechatmall").And.Not.Contain("127.0.0.1")
                .And.Not.Contain("Exception").And.Not.Contain("unreachable:"));
        });
    }

    [Test]
    public async Task Live_RunsNoDependencyChecks_Returns200()
    {
        using var client = TestEnvironment.Api.CreateClient();

        var response = await client.GetAsync("/health/live");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
