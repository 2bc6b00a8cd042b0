using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.AutoReplies;

public static class AutoReplyEndpoints
{
    public static IServiceCollection AddAutoReplies(this IServiceCollection services) =>
        services.AddSingleton<AutoReplyStore>().AddSingleton<AutoReplyRuleCache>();

    public static IEndpointRouteBuilder MapAutoReplies(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/auto-replies").WithTags("Admin: auto-replies").RequireAdmin(AdminArea.AutoReplies);
        g.MapGet("/", ListRules).WithSummary("All rules, in the order they are tried (priority desc, then id).");
        g.MapGet("/{id:long}", GetRule).WithName(nameof(GetRule)).WithSummary("One rule; 404 if unknown.");
        g.MapPost("/", CreateRule).WithSummary("Create a rule. A bad regex or missing field is a 400 naming the field.");
        g.MapPut("/{id:long}", ReplaceRule).WithSummary("Replace a rule (same validation as create); 404 if unknown.");
        g.MapDelete("/{id:long}", DeleteRule).WithSummary("Delete a rule; 404 if unknown.");
        g.MapPost("/test", TestAutoReply.Handle)
            .WithSummary("Which rule would answer this message or event, and with what — nothing is sent or stored.");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AutoReplyRule>>> ListRules(AutoReplyStore store, CancellationToken ct) =>
        TypedResults.Ok(await store.ListAsync(ct));

    private static async Task<Results<Ok<AutoReplyRule>, ProblemHttpResult>> GetRule(long id, AutoReplyStore store, CancellationToken ct) =>
        await store.GetAsync(id, ct) is { } rule ? TypedResults.Ok(rule) : NotFound(id);

    private static async Task<Results<CreatedAtRoute<AutoReplyRule>, ValidationProblem>> CreateRule(
        AutoReplyRuleRequest request, AutoReplyStore store, AutoReplyRuleCache cache, CancellationToken ct)
    {
        if (request.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var id = await store.InsertAsync(request, ct);
        await cache.InvalidateAsync();
        return TypedResults.CreatedAtRoute((await store.GetAsync(id, ct))!, nameof(GetRule), new { id });
    }

    private static async Task<Results<Ok<AutoReplyRule>, ValidationProblem, ProblemHttpResult>> ReplaceRule(
        long id, AutoReplyRuleRequest request, AutoReplyStore store, AutoReplyRuleCache cache, CancellationToken ct)
    {
        if (request.Validate() is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        if (!await store.UpdateAsync(id, request, ct)) return NotFound(id);
        await cache.InvalidateAsync();
        return TypedResults.Ok((await store.GetAsync(id, ct))!);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> DeleteRule(
        long id, AutoReplyStore store, AutoReplyRuleCache cache, CancellationToken ct)
    {
        if (!await store.DeleteAsync(id, ct)) return NotFound(id);
        await cache.InvalidateAsync();
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound(long id) =>
        Problems.NotFound("RULE_NOT_FOUND", "Auto-reply rule not found", $"There is no auto-reply rule {id}.");
}
