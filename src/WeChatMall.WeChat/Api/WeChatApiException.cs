using System.Text.Json;

namespace WeChatMall.WeChat.Api;

/// <summary>Broad class of a WeChat API error code (全局返回码, docs/wechat-protocol.md#api-errors), for callers that branch on it.</summary>
public enum WeChatErrorKind
{
    Other,
    SystemBusy,
    InvalidAccessToken,
    InvalidCredentials,
    IpNotWhitelisted,
    QuotaExceeded,
    RateLimited,
    InvalidCode,
    CodeAlreadyUsed,
    OutOfInteractionWindow,
    InvalidResponse,
}

/// <summary>A WeChat API answered with a non-zero <c>errcode</c>, or with a body that is not usable (docs/wechat-protocol.md#api-errors).</summary>
public sealed class WeChatApiException(int errcode, string errmsg, string path)
    : Exception($"WeChat API {path} failed: errcode {errcode}, {errmsg}")
{
    /// <summary>Set when the response itself was unusable (not JSON, missing fields, wrong watermark).</summary>
    public const int InvalidResponseCode = int.MinValue;

    public int Errcode { get; } = errcode;
    public string Errmsg { get; } = errmsg;
    public string Path { get; } = path;

    /// <summary>WeChat's whole answer, when it was a JSON object: some errors carry more than errcode (45065 names a msg_id).</summary>
    public JsonElement? Response { get; init; }

    public WeChatErrorKind Kind => Errcode switch
    {
        -1 => WeChatErrorKind.SystemBusy,
        40001 or 40014 or 42001 => WeChatErrorKind.InvalidAccessToken,
        40002 or 40013 or 40125 or 41002 or 41004 => WeChatErrorKind.InvalidCredentials,
        40164 or 89503 or 89506 or 89507 => WeChatErrorKind.IpNotWhitelisted,
        45009 => WeChatErrorKind.QuotaExceeded,
        45011 or 45047 => WeChatErrorKind.RateLimited,
        40029 => WeChatErrorKind.InvalidCode,
        40163 => WeChatErrorKind.CodeAlreadyUsed,
        45015 => WeChatErrorKind.OutOfInteractionWindow,
        InvalidResponseCode => WeChatErrorKind.InvalidResponse,
        _ => WeChatErrorKind.Other,
    };
}
