using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

internal sealed class TemplateFieldRulesTests
{
    static IReadOnlyList<string> Subscribe(string key, string value) => TemplateFieldRules.CheckSubscribe(new Dictionary<string, string> { [key] = value });

    [Test]
    public void CheckTemplate_FirstRemarkLongAndMultiline_AreEachRefused()
    {
        var errors = TemplateFieldRules.CheckTemplate(new Dictionary<string, string>
        {
            ["first"] = "您好", ["remark"] = "谢谢", ["thing1"] = new string('积', 21), ["thing2"] = "两行\n文字", ["thing3"] = new string('积', 20),
        });
        Assert.That(errors.Select(e => e.Split(':')[0]), Is.EqualTo(new[] { "first", "remark", "thing1", "thing2" }));
    }

    [TestCase("thing1", "二十个字以内的活动名称", true)]
    [TestCase("thing1", "超过二十个字的活动名称超过二十个字的活动名称啊", false)]
    [TestCase("phrase2", "已发货", true)]
    [TestCase("phrase2", "shipped", false)]
    [TestCase("phrase2", "六个汉字太长", false)]
    [TestCase("name3", "王小明", true)]
    [TestCase("name3", "Wang Xiaoming", true)]
    [TestCase("name3", "王小明王小明王小明王小", false)]
    [TestCase("number4", "12345", true)]
    [TestCase("number4", "12a", false)]
    [TestCase("amount5", "¥12.50", true)]
    [TestCase("amount5", "12345678901", false)]
    [TestCase("date6", "2026-12-06", true)]
    [TestCase("time7", "2026-12-06 20:30", true)]
    [TestCase("date6", "next week", false)]
    [TestCase("character_string8", "SO-2026-0001", true)]
    [TestCase("symbol9", "%", true)]
    [TestCase("phone_number10", "+86 139-1234-5678", true)]
    [TestCase("thing11", "", false)]
    public void CheckSubscribe_ValueByKeywordType(string key, string value, bool accepted) =>
        Assert.That(Subscribe(key, value), accepted ? Is.Empty : Is.Not.Empty);

    [Test]
    public void MessageTemplate_From_ParsesKeywordNames() =>
        Assert.That(MessageTemplate.From("t", "x", "商品：{{thing1.DATA}}\n状态：{{ phrase2.DATA }}\n{{thing1.DATA}}").Fields,
            Is.EqualTo(new[] { "thing1", "phrase2" }));
}
