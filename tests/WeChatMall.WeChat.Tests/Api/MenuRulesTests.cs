using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

internal sealed class MenuRulesTests
{
    static MenuButton Click(string name = "今日", string key = "K") => new() { Type = "click", Name = name, Key = key };

    static IEnumerable<MenuRule> Rules(params MenuButton[] buttons) => MenuRules.Check(buttons).Select(v => v.Rule);

    [Test]
    public void Check_OfficialSample_HasNoViolation()
        => Assert.That(MenuRules.Check([
            Click("今日歌曲", "V1001_TODAY_MUSIC"),
            new MenuButton { Name = "菜单", SubButtons = [
                new MenuButton { Type = "view", Name = "搜索", Url = "http://www.soso.com/" },
                new MenuButton { Type = "miniprogram", Name = "wxa", Url = "http://mp.weixin.qq.com", AppId = "wx286b93c14bbf93aa", PagePath = "pages/lunar/index" },
                Click("赞一下我们", "V1001_GOOD")] },
        ]), Is.Empty);

    [Test]
    public void Check_NoOrFourTopButtons_ButtonCount()
    {
        Assert.That(Rules(), Is.EqualTo(new[] { MenuRule.ButtonCount }));
        Assert.That(Rules(Click(), Click(), Click(), Click()), Is.EqualTo(new[] { MenuRule.ButtonCount }));
    }

    [Test]
    public void Check_SixOrNoSubButtons_SubButtonCount()
    {
        Assert.That(Rules(new MenuButton { Name = "m", SubButtons = [.. Enumerable.Range(0, 6).Select(_ => Click())] }), Is.EqualTo(new[] { MenuRule.SubButtonCount }));
        Assert.That(Rules(new MenuButton { Name = "m", SubButtons = [] }), Is.EqualTo(new[] { MenuRule.SubButtonCount }));
    }

    [Test]
    public void Check_NameBytes_TopSixteenSubSixty()
    {
        // 5 Chinese characters are 15 bytes in UTF-8; 6 are 18.
        Assert.That(Rules(Click("一二三四五")), Is.Empty);
        Assert.That(MenuRules.Check([Click("一二三四五六")]).Single(), Is.EqualTo(new MenuRuleViolation(MenuRule.NameLength, "button[0].name", "names are 1 to 16 bytes (UTF-8) here, not 18")));
        Assert.That(Rules(new MenuButton { Name = "m", SubButtons = [Click(new string('字', 20))] }), Is.Empty);
        Assert.That(MenuRules.Check([new MenuButton { Name = "m", SubButtons = [Click(new string('字', 21))] }]).Single().Path, Is.EqualTo("button[0].sub_button[0].name"));
        Assert.That(Rules(Click("")), Is.EqualTo(new[] { MenuRule.NameLength }));
    }

    [Test]
    public void Check_KeyAndUrlBytes_AtTheLimitPass_OneMoreFails()
    {
        Assert.That(Rules(Click(key: new string('k', 128))), Is.Empty);
        Assert.That(Rules(Click(key: new string('k', 129))), Is.EqualTo(new[] { MenuRule.KeyLength }));
        var url = "https://shop.example/" + new string('a', 1024 - 21);
        Assert.That(Rules(new MenuButton { Type = "view", Name = "v", Url = url }), Is.Empty);
        Assert.That(Rules(new MenuButton { Type = "view", Name = "v", Url = url + "a" }), Is.EqualTo(new[] { MenuRule.UrlLength }));
        Assert.That(Rules(new MenuButton { Type = "view", Name = "v", Url = "javascript:alert(1)" }), Is.EqualTo(new[] { MenuRule.UrlScheme }));
    }

    [Test]
    public void Check_UnknownTypeOrMissingFields_Named()
    {
        Assert.That(Rules(new MenuButton { Type = "telephone", Name = "t" }), Is.EqualTo(new[] { MenuRule.ButtonType }));
        Assert.That(Rules(new MenuButton { Name = "no type" }), Is.EqualTo(new[] { MenuRule.ButtonType }));
        Assert.That(MenuRules.Check([new MenuButton { Type = "miniprogram", Name = "m", Url = "https://x" }]).Select(v => v.Path),
            Is.EqualTo(new[] { "button[0].appid", "button[0].pagepath" }));
        Assert.That(Rules(new MenuButton { Type = "scancode_push", Name = "s" }), Is.EqualTo(new[] { MenuRule.MissingField }));
        Assert.That(Rules(new MenuButton { Type = "click", Name = "p", SubButtons = [Click()] }), Is.EqualTo(new[] { MenuRule.ButtonType }));
    }

    [Test]
    public void Check_NullButtons_NamedNotThrown()
        => Assert.That(MenuRules.Check([null!, new MenuButton { Name = "m", SubButtons = [null!] }]).Select(v => (v.Rule, v.Path)),
            Is.EqualTo(new[] { (MenuRule.ButtonType, "button[0]"), (MenuRule.ButtonType, "button[1].sub_button[0]") }));
}
