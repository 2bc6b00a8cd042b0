using System.Globalization;

namespace WeChatMall.Api.Features.Audience.Marketplace;

/// <summary>
/// One order read from an export. Phone: the full number as "+86…" when the export had it unmasked, else null;
/// PhoneLast4 always (from the full or the masked number). PaidAt is UTC (exports give China time).
/// </summary>
public sealed record MarketplaceRow(int Line, string OrderNo, string? BuyerNick, string? Receiver, string? Phone, string PhoneMasked,
    string PhoneLast4, string? Items, long AmountFen, DateTime PaidAt);

/// <summary>A row left out of an import, with its line in the file and a stable reason code (docs/marketplace.md).</summary>
public sealed record RejectedRow(int Row, string Reason, string? OrderNo);

/// <summary>Turns the cells of one export row into a <see cref="MarketplaceRow"/>, or says why it cannot be one.</summary>
public static class MarketplaceRowParser
{
    static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    static readonly string[] DateFormats =
        ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd H:mm:ss", "yyyy/M/d H:mm:ss", "yyyy/MM/dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy/M/d H:mm", "yyyy-MM-dd"];
    // Orders that were never paid or were closed: nothing was bought.
    static readonly string[] UnpaidStatuses = ["交易关闭", "取消", "等待买家付款", "等待付款", "删除", "closed", "cancelled"];

    public static (MarketplaceRow? Row, RejectedRow? Rejected) Parse(int line, IReadOnlyList<string> cells, IReadOnlyDictionary<MarketplaceField, int> columns)
    {
        string? Cell(MarketplaceField f) =>
            columns.TryGetValue(f, out var i) && i < cells.Count && Clean(cells[i]) is { Length: > 0 } v ? v : null;

        var orderNo = Cell(MarketplaceField.OrderNo);
        RejectedRow Reject(string reason) => new(line, reason, orderNo);
        if (orderNo is null) return (null, Reject("missing_order_no"));
        if (orderNo.Length > 64) return (null, Reject("bad_order_no"));
        if (Cell(MarketplaceField.Status) is { } status && UnpaidStatuses.Any(s => status.Contains(s, StringComparison.OrdinalIgnoreCase)))
            return (null, Reject("not_paid"));
        if (Cell(MarketplaceField.PaidAt) is not { } paidText) return (null, Reject("not_paid"));
        if (ParseChinaTime(paidText) is not { } paidAt) return (null, Reject("bad_paid_at"));
        if (Cell(MarketplaceField.Amount) is not { } amountText) return (null, Reject("missing_amount"));
        if (ParseFen(amountText) is not { } fen) return (null, Reject("bad_amount"));
        if (Cell(MarketplaceField.Phone) is not { } phoneText) return (null, Reject("missing_phone"));
        if (ParsePhone(phoneText) is not { } phone) return (null, Reject("bad_phone"));
        return (new MarketplaceRow(line, orderNo, Truncate(Cell(MarketplaceField.BuyerNick), 64), Truncate(Cell(MarketplaceField.Receiver), 64),
            phone.Full, phone.Masked, phone.Last4, Truncate(Cell(MarketplaceField.Items), 512), fen, paidAt), null);
    }

    // Exports guard long numbers from Excel as ="123" or with a leading tab or apostrophe.
    static string Clean(string cell)
    {
        var s = cell.Trim().Trim('\t').Trim();
        if (s.StartsWith("=\"", StringComparison.Ordinal) && s.EndsWith('"')) s = s[2..^1];
        return s.TrimStart('\'').Trim();
    }

    static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    /// <summary>"128.50", "¥1,280.00" → fen; more than two decimals or a negative amount is not money.</summary>
    public static long? ParseFen(string text)
    {
        var s = text.Replace("¥", "").Replace("￥", "").Replace(",", "").Replace("元", "").Trim();
        if (!decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var yuan)) return null;
        var fen = yuan * 100;
        return fen == decimal.Truncate(fen) && fen <= long.MaxValue / 2 ? (long)fen : null;
    }

    /// <summary>A China-time timestamp (as exports write it, or as a workbook cell reads) → UTC.</summary>
    public static DateTime? ParseChinaTime(string text)
    {
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            || DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out t))
            return DateTime.SpecifyKind(t - ChinaOffset, DateTimeKind.Utc);
        return null;
    }

    /// <summary>
    /// A mainland mobile number in full ("13800138000", "+86 138-0013-8000") or masked as marketplaces now export it
    /// ("138****5678"): the full number (null when masked), a masked form to show, and the last four digits.
    /// </summary>
    public static (string? Full, string Masked, string Last4)? ParsePhone(string text)
    {
        var s = new string(text.Where(ch => ch is not (' ' or '-')).ToArray());
        if (s.StartsWith("+86", StringComparison.Ordinal)) s = s[3..];
        else if (s.StartsWith("86", StringComparison.Ordinal) && s.Length == 13) s = s[2..];
        if (s.Length != 11 || !s.All(ch => char.IsAsciiDigit(ch) || ch == '*') || !char.IsAsciiDigit(s[0])) return null;
        var last4 = s[^4..];
        if (!last4.All(char.IsAsciiDigit)) return null;
        var masked = s[..3] + "****" + last4;
        return s.All(char.IsAsciiDigit) && s[0] == '1' ? ("+86" + s, masked, last4) : s.Contains('*') ? (null, masked, last4) : null;
    }
}
