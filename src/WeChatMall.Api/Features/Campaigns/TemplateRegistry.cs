using System.Text.Json;
using Dapper;
using MySqlConnector;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Features.Campaigns;

public sealed record CampaignTemplateDto(string Kind, string TemplateId, string Title, string Content, IReadOnlyList<string> Fields, DateTime SyncedAt);

/// <summary>
/// The one writer of campaign_templates: the Official Account's template messages (kind <c>oa</c>) and the
/// mini-program's subscribe templates (kind <c>subscribe</c>) as WeChat lists them. A sync replaces a kind's rows, so
/// a template deleted at WeChat can no longer be chosen.
/// </summary>
public sealed class TemplateRegistry(MySqlDataSource db, OfficialAccountClient oa, MiniProgramClient mp, TimeProvider time)
{
    /// <summary>The registry as campaign validation sees it.</summary>
    public sealed record Known(IReadOnlyList<CampaignTemplateDto> Templates)
    {
        public IEnumerable<string> Missing(string kind, string templateId, IEnumerable<string> keys)
        {
            var t = Templates.FirstOrDefault(x => x.Kind == kind && x.TemplateId == templateId);
            if (t is null) return [$"{templateId}: not in the template registry (POST /admin/campaigns/templates/sync)"];
            return keys.Where(k => !t.Fields.Contains(k)).Select(k => $"{k}: template {templateId} has no such field ({string.Join(", ", t.Fields)})");
        }
    }

    public async Task<IReadOnlyList<CampaignTemplateDto>> SyncAsync(bool miniProgram, CancellationToken ct)
    {
        var oaTemplates = await oa.ListTemplatesAsync(ct);
        var mpTemplates = miniProgram ? await mp.ListSubscribeTemplatesAsync(ct) : null;
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        await ReplaceAsync(c, tx, "oa", oaTemplates, ct);
        if (mpTemplates is not null) await ReplaceAsync(c, tx, "subscribe", mpTemplates, ct);
        await tx.CommitAsync(ct);
        return (await ListAsync(ct)).Templates;
    }

    async Task ReplaceAsync(MySqlConnection c, MySqlTransaction tx, string kind, IReadOnlyList<MessageTemplate> templates, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM campaign_templates WHERE kind = @kind", new { kind }, tx, cancellationToken: ct));
        foreach (var t in templates.Where(t => t.TemplateId.Length is > 0 and <= 64).DistinctBy(t => t.TemplateId))
            await c.ExecuteAsync(new CommandDefinition("""
                INSERT INTO campaign_templates (kind, template_id, title, content, fields, synced_at)
                VALUES (@kind, @TemplateId, LEFT(@Title, 128), @Content, @fields, @now)
                """, new { kind, t.TemplateId, t.Title, t.Content, fields = JsonSerializer.Serialize(t.Fields), now }, tx, cancellationToken: ct));
    }

    public async Task<Known> ListAsync(CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        var rows = await c.QueryAsync<(string Kind, string TemplateId, string Title, string Content, string Fields, DateTime SyncedAt)>(
            new CommandDefinition("SELECT kind, template_id, title, content, fields, synced_at FROM campaign_templates ORDER BY kind, template_id",
                cancellationToken: ct));
        return new Known([.. rows.Select(r => new CampaignTemplateDto(r.Kind, r.TemplateId, r.Title, r.Content,
            JsonSerializer.Deserialize<string[]>(r.Fields) ?? [], r.SyncedAt))]);
    }
}
