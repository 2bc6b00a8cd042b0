using WeChatMall.WeChat.Api;

namespace WeChatMall.WeChat.Tests.Api;

public sealed class QrCodeRequestTests
{
    [Test]
    public void Temporary_ThirtyDays_Accepted()
        => Assert.That(QrCodeRequest.Temporary(1, TimeSpan.FromDays(30)).ExpireSeconds, Is.EqualTo(2_592_000));

    [Test]
    public void Temporary_OverThirtyDays_Rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => QrCodeRequest.Temporary("s", TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1)));

    [Test]
    public void Temporary_ZeroSceneId_Rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => QrCodeRequest.Temporary(0, TimeSpan.FromDays(1)));

    [TestCase(0)]
    [TestCase(100_001)]
    public void Permanent_SceneIdOutOfRange_Rejected(int sceneId)
        => Assert.Throws<ArgumentOutOfRangeException>(() => QrCodeRequest.Permanent(sceneId));

    [Test]
    public void Permanent_SceneStrOf65Chars_Rejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => QrCodeRequest.Permanent(new string('a', 65)));

    [Test]
    public void Permanent_MaxSceneId_HasNoExpiry()
    {
        var request = QrCodeRequest.Permanent(100_000);
        Assert.That((request.ActionName, request.ExpireSeconds, request.SceneId), Is.EqualTo(("QR_LIMIT_SCENE", (long?)null, (int?)100_000)));
    }
}
