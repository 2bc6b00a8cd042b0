using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Infrastructure;

public sealed class StartupSettingsTests
{
    [TestCase("ConnectionStrings:MySql", "", "ConnectionStrings:MySql is required")]
    [TestCase("ConnectionStrings:Redis", "", "ConnectionStrings:Redis is required")]
    [TestCase("Admin:ApiKey", "short", "Admin:ApiKey must be at least 16 characters")]
    [TestCase("ConnectionStrings:MySql", "Server=127.0.0.1;Port=3307;Bogus Key=1", "ConnectionStrings:MySql is malformed")]
    [TestCase("ConnectionStrings:MySql", "Server=127.0.0.1;Port=3307", "ConnectionStrings:MySql must name a Database")]
    public void Startup_WithBadSetting_FailsNamingTheSetting(string key, string value, string expected)
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Testing");
            b.UseSetting("ConnectionStrings:MySql", TestServers.MySqlFor("wcm_never_created"));
            b.UseSetting("ConnectionStrings:Redis", TestServers.Redis);
            b.UseSetting("Database:MigrateOnStartup", "false");
            b.UseSetting("Admin:ApiKey", ApiFactory.AdminKey);
            b.UseSetting(key, value);
        });

        var ex = Assert.Throws<OptionsValidationException>(() => factory.CreateClient());

        Assert.That(ex!.Message, Does.Contain(expected));
    }
}
