using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Journeys;

/// <summary>Journeys (docs/journeys.md): the admin area, in the Campaigns area of operators' roles.</summary>
public static class JourneyEndpoints
{
    public static void MapJourneys(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/journeys").WithTags("Journeys admin").RequireAdmin(AdminArea.Campaigns);
        g.MapGet("/", List).WithName("AdminListJourneys");
        g.MapPost("/", Create).WithName("AdminCreateJourney");
        g.MapGet("/{id:long}", Get).WithName("AdminGetJourney");
        g.MapPut("/{id:long}", Edit).WithName("AdminEditJourney");
        g.MapPost("/{id:long}/activate", (long id, JourneyMoves moves, CancellationToken ct) => moves.ApplyAsync(id, JourneyTransitions.Move.Activate, ct))
            .WithName("AdminActivateJourney");
        g.MapPost("/{id:long}/pause", (long id, JourneyMoves moves, CancellationToken ct) => moves.ApplyAsync(id, JourneyTransitions.Move.Pause, ct))
            .WithName("AdminPauseJourney");
        g.MapPost("/{id:long}/resume", (long id, JourneyMoves moves, CancellationToken ct) => moves.ApplyAsync(id, JourneyTransitions.Move.Resume, ct))
            .WithName("AdminResumeJourney");
        g.MapPost("/{id:long}/archive", (long id, JourneyMoves moves, CancellationToken ct) => moves.ApplyAsync(id, JourneyTransitions.Move.Archive, ct))
            .WithName("AdminArchiveJourney");
    }

    static async Task<Ok<JourneyDto[]>> List(JourneyStore journeys, CancellationToken ct)
    {
        var list = new List<JourneyDto>();
        foreach (var j in await journeys.ListAsync(200, ct)) list.Add(JourneyDto.From(j, await journeys.VersionAsync(j.Id, j.CurrentVersion, ct)));
        return TypedResults.Ok(list.ToArray());
    }

    static async Task<Results<Ok<JourneyDetailDto>, ProblemHttpResult>> Get(long id, JourneyResults results, CancellationToken ct) =>
        await results.GetAsync(id, ct) is { } r ? TypedResults.Ok(r) : NotFound(id);

    static async Task<Results<Created<JourneyDto>, ProblemHttpResult>> Create(JourneyRequest request, JourneyDefinitionCheck check, MySqlDataSource db,
        JourneyStore journeys, JourneyCampaigns campaigns, CancellationToken ct)
    {
        var d = request.Definition;
        if (await check.CheckAsync(d, ct) is { } problem) return problem.ToResult();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var id = await journeys.CreateAsync(c, tx, request.Name, d, ct);
        await campaigns.CreateAsync(c, tx, id, request.Name, 1, d, JourneyStatus.Draft, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/admin/journeys/{id}", JourneyDto.From((await journeys.FindAsync(id, ct))!, d));
    }

    /// <summary>
    /// Saves the definition as the next version: members who enter from now on follow it; members already inside finish
    /// the version they entered with (their step numbers keep meaning what they meant).
    /// </summary>
    static async Task<Results<Ok<JourneyDto>, ProblemHttpResult>> Edit(long id, JourneyRequest request, JourneyDefinitionCheck check, MySqlDataSource db,
        JourneyStore journeys, JourneyCampaigns campaigns, CancellationToken ct)
    {
        var d = request.Definition;
        if (await check.CheckAsync(d, ct) is { } problem) return problem.ToResult();
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await JourneyStore.FindAsync(c, tx, id, ct) is not { } journey) return NotFound(id);
        var version = await journeys.AddVersionAsync(c, tx, id, request.Name, d, ct);
        // Read after the row lock AddVersionAsync took: a concurrent pause or archive is either before or after this edit.
        var status = (await JourneyStore.FindAsync(c, tx, id, ct))!.Status;
        if (!JourneyTransitions.CanEdit(status))
        {
            await tx.RollbackAsync(ct);
            return Problems.Conflict("JOURNEY_STATE_CONFLICT", $"Journey {id} is {status}: an archived journey cannot be edited.");
        }
        await campaigns.CreateAsync(c, tx, id, request.Name, version, d, status, ct);
        await tx.CommitAsync(ct);
        return TypedResults.Ok(JourneyDto.From((await journeys.FindAsync(id, ct))!, d));
    }

    public static ProblemHttpResult NotFound(long id) => Problems.NotFound("JOURNEY_NOT_FOUND", $"There is no journey {id}.");
}

/// <summary>A status move of a journey and of its send-step campaigns, in one transaction.</summary>
public sealed class JourneyMoves(MySqlDataSource db, JourneyTransitions transitions, JourneyCampaigns campaigns, JourneyStore journeys,
    ILogger<JourneyMoves> logger)
{
    public async Task<Results<Ok<JourneyDto>, ProblemHttpResult>> ApplyAsync(long id, JourneyTransitions.Move move, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        if (await JourneyStore.FindAsync(c, tx, id, ct) is not { } journey) return JourneyEndpoints.NotFound(id);
        if (!await transitions.ApplyAsync(c, tx, id, move, ct))
            return Problems.Conflict("JOURNEY_STATE_CONFLICT", $"A journey that is {journey.Status} cannot {move.ToString().ToLowerInvariant()}.");
        await campaigns.FollowAsync(c, tx, id, move, ct);
        await tx.CommitAsync(ct);
        var moved = (await journeys.FindAsync(id, ct))!;
        Log.Moved(logger, id, moved.Status);
        return TypedResults.Ok(JourneyDto.From(moved, await journeys.VersionAsync(id, moved.CurrentVersion, ct)));
    }
}
