using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Campaigns.Credits;

/// <summary>
/// What <c>wx.requestSubscribeMessage</c> answered, reported by the shop: templateId → accept | reject | ban | filter.
/// <see cref="RequestId"/> is chosen by the client once per prompt, so a retried report adds nothing.
/// </summary>
public sealed record SubscribeResultsRequest(
    [property: Required, StringLength(64, MinimumLength = 8)] string RequestId,
    [property: Required] Dictionary<string, string> Results);

public sealed record SubscribeCreditDto(string TemplateId, int Credits);

public static class SubscribeResults
{
    static readonly HashSet<string> Statuses = ["accept", "reject", "ban", "filter"];
    const int MaxTemplatesPerPrompt = 3; // wx.requestSubscribeMessage takes at most 3 template ids per prompt

    public static async Task<Results<Ok<SubscribeCreditDto[]>, ProblemHttpResult>> Handle(
        SubscribeResultsRequest request, CurrentMember me, MySqlDataSource db, SubscribeCredits credits, CancellationToken ct)
    {
        if (request.Results.Count is 0 or > MaxTemplatesPerPrompt)
            return Problems.BadRequest("SUBSCRIBE_RESULTS_INVALID", $"Report 1 to {MaxTemplatesPerPrompt} templates of one prompt.");
        if (request.Results.FirstOrDefault(r => r.Key.Length is 0 or > 64 || !Statuses.Contains(r.Value)) is { Key: not null } bad)
            return Problems.BadRequest("SUBSCRIBE_RESULTS_INVALID",
                $"Template '{bad.Key}': the id is 1 to 64 characters and the answer one of accept, reject, ban, filter.");
        return TypedResults.Ok(await LockConflictRetry.RunAsync(async () =>
        {
            await using var c = await db.OpenConnectionAsync(ct);
            await using var tx = await c.BeginTransactionAsync(ct);
            foreach (var (templateId, _) in request.Results.Where(r => r.Value == "accept").OrderBy(r => r.Key, StringComparer.Ordinal))
                await credits.GrantAsync(c, tx, me.Id, templateId, $"client:{me.Id}:{request.RequestId}:{templateId}", "client_accept", ct);
            await tx.CommitAsync(ct);
            var ids = request.Results.Keys.ToList();
            var balances = (await c.QueryAsync<(string TemplateId, int Credits)>(new CommandDefinition(
                "SELECT template_id, credits FROM member_subscribe_credits WHERE member_id = @id AND template_id IN @ids",
                new { id = me.Id, ids }, cancellationToken: ct))).ToDictionary(r => r.TemplateId, r => r.Credits, StringComparer.Ordinal);
            return ids.Order(StringComparer.Ordinal).Select(t => new SubscribeCreditDto(t, balances.GetValueOrDefault(t))).ToArray();
        }, ct));
    }
}
