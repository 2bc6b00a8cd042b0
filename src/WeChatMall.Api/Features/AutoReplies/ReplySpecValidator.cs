namespace WeChatMall.Api.Features.AutoReplies;

public static class ReplySpecValidator
{
    public static readonly string[] Types = ["text", "image", "news", "transfer"];

    public static IEnumerable<string> Validate(ReplySpec? reply)
    {
        if (reply is null) { yield return "A reply is required."; yield break; }
        switch (reply.Type)
        {
            case "text":
                // WeChat cuts passive text replies at 2048 bytes; 600 characters stays safely inside.
                if (string.IsNullOrWhiteSpace(reply.Content) || reply.Content.Length > 600)
                    yield return "A text reply needs Content (1–600 characters).";
                break;
            case "image":
                if (string.IsNullOrWhiteSpace(reply.MediaId) || reply.MediaId.Length > 128)
                    yield return "An image reply needs the MediaId of an uploaded image.";
                break;
            case "news":
                if (string.IsNullOrWhiteSpace(reply.Title) || reply.Title.Length > 64) yield return "A news reply needs a Title (1–64 characters).";
                if (!IsHttpUrl(reply.Url)) yield return "A news reply needs an absolute http(s) Url.";
                if (reply.PicUrl is not null && !IsHttpUrl(reply.PicUrl)) yield return "PicUrl must be an absolute http(s) URL.";
                if (reply.Description is { Length: > 120 }) yield return "Description is at most 120 characters.";
                break;
            case "transfer":
                if (reply.KfAccount is { Length: > 64 }) yield return "KfAccount is at most 64 characters.";
                break;
            default:
                yield return $"Type must be one of: {string.Join(", ", Types)}.";
                break;
        }
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp);
}
