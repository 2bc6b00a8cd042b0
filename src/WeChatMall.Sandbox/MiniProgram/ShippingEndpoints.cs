using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WeChatMall.Sandbox.OfficialAccount;

namespace WeChatMall.Sandbox.MiniProgram;

/// <summary>
/// wxa/sec/order/upload_shipping_info (发货信息录入) with the mini-program's access_token. The call itself is recorded
/// (GET /sandbox/calls?route=/wxa/sec/order/upload_shipping_info); here the fields are checked as WeChat does and a
/// malformed upload answers 47001 (data format error), a wrong app 48001.
/// </summary>
public static class ShippingEndpoints
{
    public static void MapMiniProgramShipping(this IEndpointRouteBuilder app)
    {
        app.MapPost("/wxa/sec/order/upload_shipping_info", async (HttpContext h, TokenGuard g, IOptions<SandboxOptions> o) =>
        {
            if (g.Reject(h, out var appId) is { } rejected) return rejected;
            if (appId != o.Value.MiniProgram.AppId) return WeChatReply.Error(48001);
            JsonElement body;
            try
            {
                body = (await JsonDocument.ParseAsync(h.Request.Body, cancellationToken: h.RequestAborted)).RootElement;
            }
            catch (JsonException)
            {
                return WeChatReply.Error(47001);
            }
            return Check(body) is { } problem ? WeChatReply.Error(47001, problem) : WeChatReply.Ok();
        });
    }

    static string? Check(JsonElement b)
    {
        if (b.ValueKind != JsonValueKind.Object) return "body is not an object";
        if (!b.TryGetProperty("order_key", out var key) || key.ValueKind != JsonValueKind.Object) return "order_key missing";
        switch (Int(key, "order_number_type"))
        {
            case 1 when !Str(key, "mchid") || !Str(key, "out_trade_no"): return "order_key needs mchid and out_trade_no";
            case 2 when !Str(key, "transaction_id"): return "order_key needs transaction_id";
            case 1 or 2: break;
            default: return "order_number_type is 1 or 2";
        }
        var logistics = Int(b, "logistics_type");
        if (logistics is not (1 or 2 or 3 or 4)) return "logistics_type is 1 to 4";
        var mode = Int(b, "delivery_mode");
        if (mode is not (1 or 2)) return "delivery_mode is 1 or 2";
        if (!b.TryGetProperty("shipping_list", out var list) || list.ValueKind != JsonValueKind.Array
            || list.GetArrayLength() is 0 or > 15) return "shipping_list has 1 to 15 items";
        if (mode == 1 && list.GetArrayLength() != 1) return "unified delivery has one item";
        foreach (var item in list.EnumerateArray())
        {
            if (!Str(item, "item_desc") || item.GetProperty("item_desc").GetString()!.Length > 120) return "item_desc is 1 to 120 characters";
            if (logistics == 1 && (!Str(item, "tracking_no") || !Str(item, "express_company"))) return "express needs tracking_no and express_company";
        }
        if (!Str(b, "upload_time") || !DateTimeOffset.TryParseExact(b.GetProperty("upload_time").GetString(),
                "yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            return "upload_time is RFC 3339 with milliseconds and offset";
        if (!b.TryGetProperty("payer", out var payer) || !Str(payer, "openid")) return "payer.openid missing";
        return null;
    }

    static bool Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0;

    static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : null;
}
