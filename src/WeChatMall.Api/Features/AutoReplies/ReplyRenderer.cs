namespace WeChatMall.Api.Features.AutoReplies;

/// <summary>What we know about the follower for placeholders; null when unknown.</summary>
public sealed record ReplyContext(string? Nickname, long? Points);

/// <summary>Fills <c>{nickname}</c> and <c>{points}</c> in text, title and description (empty when unknown).</summary>
public static class ReplyRenderer
{
    public static ReplySpec Render(ReplySpec reply, ReplyContext context) => reply with
    {
        Content = Fill(reply.Content, context),
        Title = Fill(reply.Title, context),
        Description = Fill(reply.Description, context),
    };

    private static string? Fill(string? text, ReplyContext context) => text?
        .Replace("{nickname}", context.Nickname ?? "", StringComparison.Ordinal)
        .Replace("{points}", context.Points?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal);
}
