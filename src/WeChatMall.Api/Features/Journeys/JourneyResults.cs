using Dapper;
using MySqlConnector;
using WeChatMall.Api.Features.Campaigns;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>GET /admin/journeys/{id}: counted from journey_members, journey_step_passes and the send steps' campaigns.</summary>
public sealed class JourneyResults(MySqlDataSource db, JourneyStore journeys, CampaignResults campaigns)
{
    public async Task<JourneyDetailDto?> GetAsync(long id, CancellationToken ct)
    {
        if (await journeys.FindAsync(id, ct) is not { } journey) return null;
        await using var c = await db.OpenConnectionAsync(ct);
        var members = (await c.QueryAsync<(int Version, string State, int Step, long Count)>(new CommandDefinition("""
            SELECT version, state, step, COUNT(*) FROM journey_members WHERE journey_id = @id GROUP BY version, state, step
            """, new { id }, cancellationToken: ct))).AsList();
        var passes = (await c.QueryAsync<(int Version, int Step, string Outcome, long Count)>(new CommandDefinition("""
            SELECT version, step, outcome, COUNT(*) FROM journey_step_passes WHERE journey_id = @id GROUP BY version, step, outcome
            """, new { id }, cancellationToken: ct))).AsList();
        var versions = new List<JourneyVersionResultsDto>();
        foreach (var version in await journeys.VersionNumbersAsync(id, ct))
        {
            var d = await journeys.VersionAsync(id, version, ct);
            var steps = new List<JourneyStepResultsDto>();
            for (var i = 0; i < d.Steps.Count; i++)
            {
                var mine = passes.Where(p => p.Version == version && p.Step == i).ToList();
                var send = await JourneyStore.SendCampaignAsync(c, null, id, version, i, ct) is { } campaignId ? await campaigns.GetAsync(campaignId, ct) : null;
                steps.Add(new(i, d.Steps[i].Type, mine.Sum(p => p.Count),
                    mine.OrderBy(p => p.Outcome, StringComparer.Ordinal).ToDictionary(p => p.Outcome, p => p.Count),
                    members.Where(m => m.Version == version && m.Step == i && m.State == JourneyMemberState.Active).Sum(m => m.Count), send));
            }
            versions.Add(new(version, members.Where(m => m.Version == version).Sum(m => m.Count), d, steps));
        }
        var byState = members.GroupBy(m => m.State).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(m => m.Count));
        return new JourneyDetailDto(JourneyDto.From(journey, await journeys.VersionAsync(id, journey.CurrentVersion, ct)), members.Sum(m => m.Count),
            byState, versions);
    }
}
