using CsvHelper;
using Dapper;
using MiniExcelLibs;
using MySqlConnector;

namespace WeChatMall.Api.Features.Orders;

/// <summary>
/// The operator's export of orders, oldest first, as CSV (CsvHelper, streamed to the response row by row from an
/// unbuffered query) or as an .xlsx workbook (MiniExcel, built in a temporary file from the same query, then sent).
/// </summary>
static class OrderExport
{
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string XlsxContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public sealed record Filter(string? Status, long? MemberId, DateTime? From, DateTime? To, int Limit);

    const string Sql = """
        SELECT o.order_no, o.member_id, o.status, o.goods_fen, o.discount_fen, o.points_used, o.points_fen, o.shipping_fen,
               o.payable_fen, o.refunded_fen, o.transaction_id, o.carrier, o.tracking_no, o.created_at, o.paid_at, o.shipped_at,
               o.completed_at, o.cancelled_at
        FROM orders o
        WHERE (@status IS NULL OR o.status = @status OR o.refund_state = @status) AND (@memberId IS NULL OR o.member_id = @memberId)
          AND (@from IS NULL OR o.created_at >= @from) AND (@to IS NULL OR o.created_at < @to)
        ORDER BY o.id LIMIT @limit
        """;

    sealed record Row(string OrderNo, long MemberId, string Status, long GoodsFen, long DiscountFen, long PointsUsed,
        long PointsFen, long ShippingFen, long PayableFen, long RefundedFen, string? TransactionId, string? Carrier,
        string? TrackingNo, DateTime CreatedAt, DateTime? PaidAt, DateTime? ShippedAt, DateTime? CompletedAt, DateTime? CancelledAt);

    static readonly string[] Header = ["order_no", "member_id", "status", "goods_fen", "discount_fen", "points_used", "points_fen",
        "shipping_fen", "payable_fen", "refunded_fen", "transaction_id", "carrier", "tracking_no", "created_at", "paid_at",
        "shipped_at", "completed_at", "cancelled_at"];

    // A text cell starting with = + - @ (or a tab or CR) gets a leading ' so a spreadsheet never runs it as a formula.
    static readonly CsvWriterOptions Csv = CsvWriterOptions.Default with { NewLine = "\n", Injection = CsvInjection.Escape };

    const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    static object Args(Filter f) => new { status = f.Status, memberId = f.MemberId, from = f.From, to = f.To, limit = f.Limit };

    public static async Task WriteCsvAsync(MySqlDataSource db, Filter filter, Stream body, CancellationToken ct)
    {
        await using var csv = CsvWriter.Create(body, Csv, leaveOpen: true);
        await csv.WriteRecordAsync(Header, ct);
        await using var c = await db.OpenConnectionAsync(ct);
        // Unbuffered: rows go to the response as MariaDB sends them, never all in memory at once.
        await foreach (var r in c.QueryUnbufferedAsync<Row>(Sql, Args(filter)).WithCancellation(ct))
        {
            csv.WriteField(r.OrderNo);
            csv.WriteField(r.MemberId, "");
            csv.WriteField(r.Status);
            foreach (var n in (ReadOnlySpan<long>)[r.GoodsFen, r.DiscountFen, r.PointsUsed, r.PointsFen, r.ShippingFen, r.PayableFen, r.RefundedFen])
                csv.WriteField(n, "");
            csv.WriteField(r.TransactionId);
            csv.WriteField(r.Carrier);
            csv.WriteField(r.TrackingNo);
            csv.WriteField(r.CreatedAt, TimeFormat);
            foreach (var t in (ReadOnlySpan<DateTime?>)[r.PaidAt, r.ShippedAt, r.CompletedAt, r.CancelledAt])
                csv.WriteField(t, TimeFormat);
            await csv.EndRecordAsync(ct);
        }
    }

    /// <summary>
    /// Times are Excel date cells (UTC), amounts numbers. A workbook is a zip that MiniExcel writes with synchronous
    /// calls, which the response does not allow: it is written to a temporary file, then copied out.
    /// </summary>
    public static async Task WriteXlsxAsync(MySqlDataSource db, Filter filter, Stream body, CancellationToken ct)
    {
        await using var file = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None,
            64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await using (var c = await db.OpenConnectionAsync(ct))
        await using (var reader = await c.ExecuteReaderAsync(new CommandDefinition(Sql, Args(filter), cancellationToken: ct)))
            await file.SaveAsAsync(reader, sheetName: "orders", excelType: ExcelType.XLSX, cancellationToken: ct);
        file.Position = 0;
        await file.CopyToAsync(body, ct);
    }
}
