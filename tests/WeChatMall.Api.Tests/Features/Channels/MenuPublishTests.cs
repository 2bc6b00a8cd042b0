using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WeChatMall.Api.Tests.TestHost;
using WeChatMall.WeChat.Api;

namespace WeChatMall.Api.Tests.Features.Channels;

/// <summary>
/// PUT /admin/channels/menu checks WeChat's menu limits before calling menu/create: one test per limit family (the
/// sandbox must see no call), and a valid menu reaches the sandbox and reads back through GET.
/// </summary>
[NonParallelizable] // one sandbox menu, one call log
public sealed class MenuPublishTests
{
    static SandboxHost sandbox = null!;
    static ApiFactory api = null!;

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        sandbox = await SandboxHost.StartAsync();
        var settings = sandbox.ApiSettings();
        settings["Jobs:FollowerSync:Enabled"] = "false";
        api = await ApiFactory.StartAsync(settings);
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        await api.DisposeAsync();
        await sandbox.DisposeAsync();
    }

    static JsonObject Click(string name = "Offer", string key = "TODAY_OFFER") => new() { ["type"] = "click", ["name"] = name, ["key"] = key };

    static JsonObject Menu(params JsonNode[] buttons) => new() { ["button"] = new JsonArray(buttons) };

    static JsonObject Parent(string name, params JsonNode[] subs) => new() { ["name"] = name, ["sub_button"] = new JsonArray(subs) };

    static async Task<(HttpStatusCode Status, JsonElement Body)> PublishAsync(JsonObject menu)
    {
        using var admin = api.CreateAdminClient();
        var r = await admin.PutAsJsonAsync("/admin/channels/menu", menu);
        var text = await r.Content.ReadAsStringAsync();
        return (r.StatusCode, JsonDocument.Parse(text.Length == 0 ? "{}" : text).RootElement);
    }

    static async Task<int> MenuCreateCallsAsync()
        => (await sandbox.Client.GetFromJsonAsync<JsonElement[]>("/sandbox/calls?route=/cgi-bin/menu/create"))!.Length;

    static async Task AssertRefusedAsync(JsonObject menu, string code, string path)
    {
        var before = await MenuCreateCallsAsync();
        var (status, body) = await PublishAsync(menu);
        Assert.Multiple(async () =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body.ToString());
            Assert.That(body.GetProperty("code").GetString(), Is.EqualTo(code), body.ToString());
            Assert.That(body.GetProperty("violations")[0].GetProperty("path").GetString(), Is.EqualTo(path));
            Assert.That(await MenuCreateCallsAsync(), Is.EqualTo(before), "WeChat is not called with a menu it would refuse");
        });
    }

    [Test]
    public Task Publish_FourTopButtons_MenuButtonCount()
        => AssertRefusedAsync(Menu(Click(), Click(), Click(), Click()), "MENU_BUTTON_COUNT", "button");

    [Test]
    public Task Publish_SixSubButtons_MenuSubButtonCount()
        => AssertRefusedAsync(Menu(Parent("Shop", Click(), Click(), Click(), Click(), Click(), Click())), "MENU_SUB_BUTTON_COUNT", "button[0].sub_button");

    [Test]
    public async Task Publish_NameOverBytes_MenuNameLength()
    {
        await AssertRefusedAsync(Menu(Click("一二三四五六")), "MENU_NAME_LENGTH", "button[0].name");          // 18 bytes > 16
        await AssertRefusedAsync(Menu(Parent("Shop", Click(new string('字', 21)))), "MENU_NAME_LENGTH", "button[0].sub_button[0].name"); // 63 > 60
    }

    [Test]
    public Task Publish_KeyOver128Bytes_MenuKeyLength()
        => AssertRefusedAsync(Menu(Click(key: new string('k', 129))), "MENU_KEY_LENGTH", "button[0].key");

    [Test]
    public async Task Publish_BadUrl_MenuUrlLengthOrInvalid()
    {
        var view = (string url) => new JsonObject { ["type"] = "view", ["name"] = "Mall", ["url"] = url };
        await AssertRefusedAsync(Menu(view("https://shop.example/" + new string('a', 1004))), "MENU_URL_LENGTH", "button[0].url");
        await AssertRefusedAsync(Menu(view("ftp://shop.example/")), "MENU_URL_INVALID", "button[0].url");
    }

    [Test]
    public async Task Publish_UnknownTypeOrMissingField_Named()
    {
        await AssertRefusedAsync(Menu(new JsonObject { ["type"] = "telephone", ["name"] = "Call" }), "MENU_BUTTON_TYPE", "button[0].type");
        await AssertRefusedAsync(Menu(new JsonObject { ["type"] = "miniprogram", ["name"] = "App", ["url"] = "https://x.example", ["appid"] = "wxMINI" }),
            "MENU_FIELD_MISSING", "button[0].pagepath");
    }

    [Test]
    public async Task Publish_ValidMenu_ReachesWeChat_AndReadsBack()
    {
        var menu = Menu(Click("Today's offer", "TODAY_OFFER"), Parent("Shop",
            new JsonObject { ["type"] = "view", ["name"] = "Mall", ["url"] = "https://example.com/" },
            new JsonObject { ["type"] = "miniprogram", ["name"] = "小程序商城", ["url"] = "https://example.com/", ["appid"] = "wxMINI", ["pagepath"] = "pages/index" }));
        var (status, body) = await PublishAsync(menu);
        using var admin = api.CreateAdminClient();
        var live = await admin.GetFromJsonAsync<JsonElement>("/admin/channels/menu");
        var inSandbox = await sandbox.Client.GetFromJsonAsync<JsonElement>("/sandbox/menu");

        Assert.Multiple(() =>
        {
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString());
            Assert.That(inSandbox.GetProperty("button")[1].GetProperty("sub_button")[1].GetProperty("pagepath").GetString(), Is.EqualTo("pages/index"));
            Assert.That(live.GetProperty("button")[0].GetProperty("key").GetString(), Is.EqualTo("TODAY_OFFER"));
            Assert.That(live.GetProperty("button")[1].GetProperty("sub_button")[1].GetProperty("name").GetString(), Is.EqualTo("小程序商城"));
        });
    }

    [Test]
    public async Task GetMenu_NoneSet_MenuNotSet()
    {
        await api.Services.GetRequiredService<OfficialAccountClient>().DeleteMenuAsync(CancellationToken.None);
        using var admin = api.CreateAdminClient();
        var r = await admin.GetAsync("/admin/channels/menu");
        var body = JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;
        Assert.That((r.StatusCode, body.GetProperty("code").GetString()), Is.EqualTo((HttpStatusCode.NotFound, "MENU_NOT_SET")));
    }
}
