using Microsoft.AspNetCore.Http.HttpResults;

namespace WeChatMall.Api.Features.AutoReplies;

/// <summary>Dry run of the engine for operators: the same cache and matching as the callback, no side effects.</summary>
public static class TestAutoReply
{
    /// <param name="Kind">text, message, subscribe, scan, click or event.</param>
    /// <param name="Text">The message text (kind text).</param>
    /// <param name="Key">QR scene (subscribe, scan) or menu key (click).</param>
    /// <param name="Nickname">Optional, to preview placeholders.</param>
    public sealed record Request(string? Kind, string? Text = null, string? Key = null, string? Nickname = null);

    public sealed record Response(bool Matched, long? RuleId, string? RuleName, string? ReplyMode, ReplySpec? Reply, IReadOnlyList<ReplySpec> ExtraReplies);

    public static async Task<Results<Ok<Response>, ValidationProblem>> Handle(
        Request request, AutoReplyRuleCache cache, TimeProvider clock, CancellationToken ct)
    {
        if (request.Kind is null || !ReplyTrigger.Kinds.Contains(request.Kind))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                [nameof(Request.Kind)] = [$"Kind must be one of: {string.Join(", ", ReplyTrigger.Kinds)}."],
            });
        var snapshot = await cache.GetAsync(ct);
        var match = AutoReplyEngine.Match(snapshot, new ReplyTrigger(request.Kind, request.Text, request.Key),
            clock.GetUtcNow().UtcDateTime, Random.Shared);
        if (match is null) return TypedResults.Ok(new Response(false, null, null, null, null, []));
        var context = new ReplyContext(request.Nickname, null);
        return TypedResults.Ok(new Response(true, match.Rule.Id, match.Rule.Name, match.Rule.ReplyMode,
            ReplyRenderer.Render(match.Passive, context), match.Extra.Select(r => ReplyRenderer.Render(r, context)).ToList()));
    }
}
