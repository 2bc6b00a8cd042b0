using QRCoder;

namespace WeChatMall.Api.Features.Channels;

/// <summary>
/// Renders a channel's QR content URL locally (QRCoder), for printing: PNG for documents, SVG for print shops. The
/// image holds the URL WeChat returned, which is what WeChat's own showqrcode image encodes.
/// </summary>
public static class QrImages
{
    public const int DefaultPixelsPerModule = 10, MaxPixelsPerModule = 40;

    // Level M survives a little dirt on a parcel insert and keeps the code small enough to scan from a screen.
    static QRCodeData Encode(string content) => QRCodeGenerator.GenerateQrCode(content, QRCodeGenerator.ECCLevel.M);

    public static byte[] Png(string content, int pixelsPerModule) => new PngByteQRCode(Encode(content)).GetGraphic(pixelsPerModule);

    public static string Svg(string content, int pixelsPerModule) => new SvgQRCode(Encode(content)).GetGraphic(pixelsPerModule);
}
