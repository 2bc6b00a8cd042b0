using System.ComponentModel.DataAnnotations;

namespace WeChatMall.Api.Features.Payments;

/// <summary>Our payment behaviour (section <c>Payments</c>); the merchant's WeChat Pay keys are in <c>WeChatPay</c>.</summary>
public sealed class PaymentOptions
{
    public const string SectionName = "Payments";

    /// <summary>A pending order is queried once its prepay is this old (the notification is normally there long before).</summary>
    [Range(0, 1440)] public int ReconcileAfterMinutes { get; set; } = 5;
    /// <summary>The same order or refund is queried again at most this often.</summary>
    [Range(0, 86_400)] public int RecheckSeconds { get; set; } = 120;
    [Range(1, 500)] public int ReconcileBatchSize { get; set; } = 50;
    /// <summary>Largest /pay/notify and /pay/refund-notify body accepted.</summary>
    [Range(1024, 1_048_576)] public int MaxNotificationBytes { get; set; } = 65_536;
    /// <summary>Mini-program subscribe-message template for "order paid"; empty = no message (logged once per order).</summary>
    public string? PaidTemplateId { get; set; }
    /// <summary>Mini-program page the paid message opens; {orderNo} is replaced.</summary>
    public string PaidPage { get; set; } = "pages/orders/detail?orderNo={orderNo}";
    /// <summary>developer | trial | formal.</summary>
    public string? MiniProgramState { get; set; }
}
