using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WeChatMall.WeChat.Pay;

namespace WeChatMall.Sandbox.Pay;

/// <summary>api.mch.weixin.qq.com v3 (docs/wechat-protocol.md#jsapi-prepay, #query-and-close): JSAPI prepay, query, close. Refunds are in <see cref="RefundEndpoints"/>.</summary>
public static partial class PayEndpoints
{
    [GeneratedRegex("^[0-9A-Za-z_\\-|*]{6,32}$")] private static partial Regex OutTradeNoRule();

    public static void MapPay(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v3/pay/transactions/jsapi", Prepay);
        app.MapGet("/v3/pay/transactions/out-trade-no/{outTradeNo}", (string outTradeNo, string? mchid, PayState s, IOptions<SandboxOptions> o)
            => mchid != o.Value.Merchant.MchId ? Param("mchid") : s.Order(outTradeNo) is { } order ? PayResult.Ok(ToTransaction(order)) : NotExist());
        app.MapGet("/v3/pay/transactions/id/{transactionId}", (string transactionId, string? mchid, PayState s, IOptions<SandboxOptions> o)
            => mchid != o.Value.Merchant.MchId ? Param("mchid") : s.OrderByTransactionId(transactionId) is { } order ? PayResult.Ok(ToTransaction(order)) : NotExist());
        app.MapPost("/v3/pay/transactions/out-trade-no/{outTradeNo}/close", Close);
    }

    static PayResult Prepay(JsonElement body, PayState state, IOptions<SandboxOptions> options)
    {
        var o = options.Value;
        string? S(JsonElement e, string name) => e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var appId = S(body, "appid");
        var mchId = S(body, "mchid");
        var description = S(body, "description");
        var outTradeNo = S(body, "out_trade_no");
        var notifyUrl = S(body, "notify_url");
        var amount = body.TryGetProperty("amount", out var a) ? a : default;
        var payer = body.TryGetProperty("payer", out var p) ? S(p, "openid") : null;
        if (appId is null || mchId is null || description is null || outTradeNo is null || notifyUrl is null || payer is null
            || amount.ValueKind != JsonValueKind.Object || !amount.TryGetProperty("total", out var t) || !t.TryGetInt64(out var total))
            return Param("appid, mchid, description, out_trade_no, notify_url, amount.total and payer.openid are required");
        if (mchId != o.Merchant.MchId || (appId != o.MiniProgram.AppId && appId != o.OfficialAccount.AppId))
            return PayResult.Error(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
        if (!OutTradeNoRule().IsMatch(outTradeNo)) return Param("out_trade_no");
        if (description.Length is 0 or > 127 || description.EnumerateRunes().Any(r => r.Utf8SequenceLength > 3)) return Param("description");
        if (total <= 0 || (S(amount, "currency") ?? "CNY") != "CNY") return Param("amount");
        if (!Uri.TryCreate(notifyUrl, UriKind.Absolute, out var notify) || notify.Query.Length > 0 || notifyUrl.Length > 255)
            return Param("notify_url");
        DateTimeOffset? expire = null;
        if (S(body, "time_expire") is { } te)
        {
            // RFC3339 with an offset, e.g. 2018-06-08T10:34:56+08:00; v2's yyyyMMddHHmmss is refused.
            if (!DateTimeOffset.TryParseExact(te, "yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
                return Param("time_expire");
            expire = parsed;
        }

        return state.Locked((orders, _) =>
        {
            if (orders.TryGetValue(outTradeNo, out var existing))
            {
                if (existing.TradeState is "SUCCESS" or "REFUND") return PayResult.Error(403, "ORDERPAID", "该订单已支付");
                if (existing.TradeState == "CLOSED") return PayResult.Error(400, "ORDER_CLOSED", "该订单已关闭");
                // The same order asked again is idempotent; a different one under the same number is not.
                if (existing.Total != total || existing.PayerOpenId != payer || existing.AppId != appId || existing.Description != description)
                    return PayResult.Error(403, "OUT_TRADE_NO_USED", "商户订单号重复");
                return PayResult.Ok(new { prepay_id = existing.PrepayId });
            }
            var order = new PayOrder
            {
                OutTradeNo = outTradeNo, AppId = appId, MchId = mchId, Description = description, Total = total,
                PayerOpenId = payer, Attach = S(body, "attach"), NotifyUrl = notifyUrl, TimeExpire = expire,
                PrepayId = "wx" + state.NewId(""),
            };
            orders[outTradeNo] = order;
            return PayResult.Ok(new { prepay_id = order.PrepayId });
        });
    }

    static PayResult Close(string outTradeNo, JsonElement body, PayState state, IOptions<SandboxOptions> options)
    {
        var mchId = body.ValueKind == JsonValueKind.Object && body.TryGetProperty("mchid", out var m) ? m.GetString() : null;
        if (mchId != options.Value.Merchant.MchId) return Param("mchid");
        return state.Locked((orders, _) =>
        {
            if (!orders.TryGetValue(outTradeNo, out var order)) return NotExist();
            if (order.TradeState is "SUCCESS" or "REFUND") return PayResult.Error(403, "ORDERPAID", "订单已支付");
            orders[outTradeNo] = order with { TradeState = "CLOSED" };
            return PayResult.NoContent();
        });
    }

    public static Transaction ToTransaction(PayOrder o)
    {
        var paid = o.TradeState is "SUCCESS" or "REFUND";
        return new Transaction
        {
            AppId = o.AppId, MchId = o.MchId, OutTradeNo = o.OutTradeNo, TransactionId = o.TransactionId, TradeType = "JSAPI",
            TradeState = o.TradeState, TradeStateDesc = o.TradeState switch
            {
                "SUCCESS" => "支付成功",
                "REFUND" => "转入退款",
                "CLOSED" => "已关闭",
                _ => "订单未支付",
            },
            BankType = paid ? "OTHERS" : null, Attach = paid ? o.Attach : null, SuccessTime = China(o.SuccessTime),
            Payer = new TransactionPayer(o.PayerOpenId),
            Amount = new TransactionAmount { Total = o.Total, PayerTotal = paid ? o.Total : null, Currency = "CNY", PayerCurrency = paid ? "CNY" : null },
        };
    }

    /// <summary>WeChat Pay writes times as RFC3339 in +08:00 without fractions.</summary>
    public static DateTimeOffset? China(DateTimeOffset? t) =>
        t is { } v ? new DateTimeOffset(v.UtcTicks - v.UtcTicks % TimeSpan.TicksPerSecond, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(8)) : null;

    public static PayResult Param(string field) => PayResult.Error(400, "PARAM_ERROR", $"参数错误: {field}");
    static PayResult NotExist() => PayResult.Error(404, "ORDER_NOT_EXIST", "订单不存在");
}
