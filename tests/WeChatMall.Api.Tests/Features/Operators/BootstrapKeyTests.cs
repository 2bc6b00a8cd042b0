using System.Net;
using WeChatMall.Api.Tests.TestHost;

namespace WeChatMall.Api.Tests.Features.Operators;

public sealed class BootstrapKeyTests
{
    [Test]
    public async Task BootstrapKey_Unset_TheServerStarts_AndTheHeaderOpensNothing()
    {
        await using var keyless = OperatorsEnvironment.Api.StartSibling(new Dictionary<string, string?> { ["Admin:ApiKey"] = null });
        using var client = keyless.CreateClient();
        client.DefaultRequestHeaders.Add("X-Admin-Key", ApiFactory.AdminKey);

        var response = await client.GetAsync("/admin/operators");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task BootstrapKey_Set_ActsAsOwner_WrongKeyIs401()
    {
        using var right = OperatorsEnvironment.Api.CreateAdminClient();
        using var wrong = OperatorsEnvironment.Api.CreateClient();
        wrong.DefaultRequestHeaders.Add("X-Admin-Key", "not-the-admin-key-at-all");

        Assert.Multiple(async () =>
        {
            Assert.That((await right.GetAsync("/admin/operators")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await wrong.GetAsync("/admin/operators")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        });
    }
}
