namespace WeChatMall.Api.Features.Audience.Marketplace;

/// <summary>The fields we read from a marketplace export.</summary>
public enum MarketplaceField { OrderNo, BuyerNick, Receiver, Phone, Items, Amount, PaidAt, Status }

/// <summary>
/// Which header names each platform's export uses for each field (the first header found wins). Tmall/Taobao: the
/// seller centre's order report (订单报表), one row per order. JD: the POP merchant backend's order export, one row
/// per item, the order's amount and buyer repeated on every row. "other": our own neutral template, in English or
/// Chinese. docs/marketplace.md lists them.
/// </summary>
public static class MarketplaceColumns
{
    public const string Tmall = "tmall";
    public const string Jd = "jd";
    public const string Other = "other";

    public static readonly string[] Platforms = [Tmall, Jd, Other];

    static readonly Dictionary<string, Dictionary<MarketplaceField, string[]>> Map = new()
    {
        [Tmall] = new()
        {
            [MarketplaceField.OrderNo] = ["订单编号", "订单号"],
            [MarketplaceField.BuyerNick] = ["买家会员名", "买家昵称"],
            [MarketplaceField.Receiver] = ["收货人姓名", "收货人"],
            [MarketplaceField.Phone] = ["联系手机", "手机", "联系电话"],
            [MarketplaceField.Items] = ["宝贝标题", "商品标题", "商品名称"],
            [MarketplaceField.Amount] = ["买家实际支付金额", "实付金额", "买家应付货款", "应付金额"],
            [MarketplaceField.PaidAt] = ["订单付款时间", "付款时间"],
            [MarketplaceField.Status] = ["订单状态"],
        },
        [Jd] = new()
        {
            [MarketplaceField.OrderNo] = ["订单号", "订单编号"],
            [MarketplaceField.BuyerNick] = ["下单帐号", "下单账号", "买家账号"],
            [MarketplaceField.Receiver] = ["客户姓名", "收货人"],
            [MarketplaceField.Phone] = ["联系电话", "手机号", "联系手机"],
            [MarketplaceField.Items] = ["商品名称"],
            [MarketplaceField.Amount] = ["应付金额", "实付金额", "订单金额"],
            [MarketplaceField.PaidAt] = ["付款确认时间", "付款时间"],
            [MarketplaceField.Status] = ["订单状态"],
        },
        [Other] = new()
        {
            [MarketplaceField.OrderNo] = ["order_no", "订单号", "订单编号"],
            [MarketplaceField.BuyerNick] = ["buyer_nick", "买家昵称", "买家会员名"],
            [MarketplaceField.Receiver] = ["receiver_name", "收货人姓名", "收货人"],
            [MarketplaceField.Phone] = ["phone", "联系手机", "手机", "联系电话"],
            [MarketplaceField.Items] = ["items", "商品名称", "宝贝标题"],
            [MarketplaceField.Amount] = ["amount_yuan", "实付金额", "应付金额"],
            [MarketplaceField.PaidAt] = ["paid_at", "付款时间"],
            [MarketplaceField.Status] = ["status", "订单状态"],
        },
    };

    /// <summary>Field → column index in this header (fields the file lacks are absent).</summary>
    public static Dictionary<MarketplaceField, int> Locate(string platform, IReadOnlyList<string> header)
    {
        var names = header.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
        var found = new Dictionary<MarketplaceField, int>();
        foreach (var (field, aliases) in Map[platform])
            foreach (var alias in aliases)
                if (names.FindIndex(n => string.Equals(n, alias, StringComparison.OrdinalIgnoreCase)) is var i and >= 0)
                {
                    found[field] = i;
                    break;
                }
        return found;
    }

    /// <summary>Fields without which a file is refused as a whole.</summary>
    public static readonly MarketplaceField[] Required =
        [MarketplaceField.OrderNo, MarketplaceField.Phone, MarketplaceField.Amount, MarketplaceField.PaidAt];

    public static string HeaderNames(string platform, MarketplaceField field) => string.Join(" / ", Map[platform][field]);
}
