namespace WeChatMall.Api.Features.Callback;

public static class RequestBody
{
    /// <summary>Reads the whole body, or returns null as soon as it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        if (request.ContentLength > maxBytes) return null;
        var buffer = new byte[request.ContentLength is { } length ? (int)length + 1 : 4096];
        var total = 0;
        int read;
        while ((read = await request.Body.ReadAsync(buffer.AsMemory(total), ct)) > 0)
        {
            total += read;
            if (total > maxBytes) return null;
            if (total == buffer.Length) Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
        }
        return buffer.AsMemory(0, total);
    }
}
