using System.Globalization;

namespace WeChatMall.WeChat.MiniProgram;

public sealed partial class MiniProgramClient
{
    /// <summary>
    /// <c>wxa/sec/order/upload_shipping_info</c> (发货信息录入): required after paying with a mini-program so funds
    /// are released; a payment's shipping info can be corrected only once.
    /// </summary>
    public Task UploadShippingInfoAsync(ShippingInfo info, CancellationToken ct)
    {
        if (info.Packages.Count is 0 or > 15) throw new ArgumentException("1..15 packages per upload.", nameof(info));
        return _api.PostAsync("wxa/sec/order/upload_shipping_info", new
        {
            order_key = info.Order.TransactionId is { } tx
                ? (object)new { order_number_type = 2, transaction_id = tx }
                : new { order_number_type = 1, mchid = info.Order.MchId, out_trade_no = info.Order.OutTradeNo },
            logistics_type = (int)info.LogisticsType,
            delivery_mode = (int)info.DeliveryMode,
            is_all_delivered = info.DeliveryMode == DeliveryMode.Split ? info.IsAllDelivered : (bool?)null,
            shipping_list = info.Packages.Select(p => new
            {
                tracking_no = p.TrackingNo,
                express_company = p.ExpressCompany,
                item_desc = p.ItemDesc,
                contact = p.ReceiverContact is null && p.ConsignorContact is null ? null
                    : new { consignor_contact = p.ConsignorContact, receiver_contact = p.ReceiverContact },
            }).ToArray(),
            // RFC 3339 with milliseconds and offset, e.g. 2022-12-15T13:29:35.120+08:00.
            upload_time = info.UploadTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture),
            payer = new { openid = info.PayerOpenId },
        }, ct);
    }
}

/// <summary>Logistics mode of a shipment.</summary>
public enum LogisticsType { Express = 1, SameCity = 2, Virtual = 3, SelfPickup = 4 }

/// <summary>Unified (one tracking number) or split delivery.</summary>
public enum DeliveryMode { Unified = 1, Split = 2 }

/// <summary>The paid order: either the WeChat Pay transaction_id, or mchid + out_trade_no.</summary>
public sealed record ShippingOrderKey(string? TransactionId, string? MchId = null, string? OutTradeNo = null)
{
    public static ShippingOrderKey ByTransactionId(string transactionId) => new(transactionId);
    public static ShippingOrderKey ByOutTradeNo(string mchId, string outTradeNo) => new(null, mchId, outTradeNo);
}

/// <summary>One package; contacts are masked phone numbers (required for SF Express).</summary>
public sealed record ShippingPackage(string ItemDesc, string? TrackingNo = null, string? ExpressCompany = null,
    string? ReceiverContact = null, string? ConsignorContact = null);

/// <summary>Shipping information for one payment (发货信息录入).</summary>
public sealed record ShippingInfo(ShippingOrderKey Order, LogisticsType LogisticsType, DeliveryMode DeliveryMode,
    IReadOnlyList<ShippingPackage> Packages, DateTimeOffset UploadTime, string PayerOpenId, bool IsAllDelivered = true);
