using CsvHelper;

namespace WeChatMall.Api.Features.Audience.Segments;

/// <summary>A segment's members as CSV (CsvHelper), streamed page by page to the response; times UTC.</summary>
static class SegmentExport
{
    public const string ContentType = "text/csv; charset=utf-8";

    static readonly string[] Header = ["member_id", "tier", "points", "paid_orders", "net_spend_fen", "first_paid_at", "last_paid_at",
        "first_channel", "following", "last_interaction_at", "rfm_group"];

    // A text cell starting with = + - @ gets a leading ' so a spreadsheet never runs it as a formula (channel names are merchant text).
    static readonly CsvWriterOptions Csv = CsvWriterOptions.Default with { NewLine = "\n", Injection = CsvInjection.Escape };

    const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static async Task WriteAsync(SegmentMembers members, CompiledRule rule, Stream body, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, Csv, leaveOpen: true);
        await csv.WriteRecordAsync(Header, ct);
        await foreach (var m in members.StreamAsync(rule, ct))
        {
            csv.WriteField(m.MemberId, "");
            csv.WriteField(m.Tier);
            csv.WriteField(m.Points, "");
            csv.WriteField(m.PaidOrders, "");
            csv.WriteField(m.NetSpendFen, "");
            csv.WriteField(m.FirstPaidAt, TimeFormat);
            csv.WriteField(m.LastPaidAt, TimeFormat);
            csv.WriteField(m.FirstChannel);
            csv.WriteField(m.Following ? "true" : "false");
            csv.WriteField(m.LastInteractionAt, TimeFormat);
            csv.WriteField(m.RfmGroup);
            await csv.EndRecordAsync(ct);
        }
    }
}
