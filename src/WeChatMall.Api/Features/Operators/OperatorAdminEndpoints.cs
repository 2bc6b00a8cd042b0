using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Operators;

/// <summary>Owners manage operators: create, change role / name / disabled, reset a password.</summary>
public static class OperatorAdminEndpoints
{
    public static RouteGroupBuilder MapOperatorAdmin(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/operators").WithTags("Operators").RequireAdmin(AdminArea.Operators);
        g.MapGet("", List).WithName("AdminListOperators");
        g.MapPost("", Create).WithName("AdminCreateOperator");
        g.MapPut("/{id:long}", Update).WithName("AdminUpdateOperator");
        g.MapPost("/{id:long}/reset-password", ResetPassword).WithName("AdminResetOperatorPassword");
        return g;
    }

    static async Task<Ok<IReadOnlyList<OperatorDetailsDto>>> List(OperatorStore store, CancellationToken ct) =>
        TypedResults.Ok<IReadOnlyList<OperatorDetailsDto>>([.. (await store.ListAsync(ct)).Select(OperatorDetailsDto.From)]);

    static async Task<Results<Created<OperatorDetailsDto>, ProblemHttpResult>> Create(
        CreateOperatorRequest body, HttpContext http, OperatorStore store, OperatorPasswords passwords, ILogger<OperatorStore> logger, CancellationToken ct)
    {
        if (await store.CreateAsync(body.Username, body.DisplayName.Trim(), body.Role, passwords.Hash(body.Password), ct) is not { } id)
            return Problems.Conflict("OPERATOR_EXISTS", "An operator with this username exists");
        Log.OperatorCreated(logger, id, body.Role);
        var created = OperatorDetailsDto.From((await store.FindAsync(id, ct))!);
        AuditNote.Of(http).After = created;
        return TypedResults.Created($"/admin/operators/{id}", created);
    }

    /// <summary>A new role or disabling ends every session of the operator: the next request signs in afresh.</summary>
    static async Task<Results<Ok<OperatorDetailsDto>, ProblemHttpResult>> Update(
        long id, UpdateOperatorRequest body, HttpContext http, OperatorStore store, OperatorSessions sessions, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is not { } before) return Problems.NotFound("OPERATOR_NOT_FOUND", "No such operator");
        var role = body.Role ?? before.Role;
        var disabled = body.Disabled ?? before.Disabled;
        if (!await store.UpdateAsync(id, role, body.DisplayName?.Trim() ?? before.DisplayName, disabled, ct))
            return Problems.Conflict("LAST_OWNER", "The last enabled owner cannot be demoted or disabled");
        if (role != before.Role || (disabled && !before.Disabled)) await sessions.RevokeAllAsync(id, ct);
        var after = OperatorDetailsDto.From((await store.FindAsync(id, ct))!);
        var note = AuditNote.Of(http);
        note.Before = OperatorDetailsDto.From(before);
        note.After = after;
        return TypedResults.Ok(after);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> ResetPassword(
        long id, ResetPasswordRequest body, OperatorStore store, OperatorPasswords passwords, OperatorSessions sessions, CancellationToken ct)
    {
        if (await store.FindAsync(id, ct) is null) return Problems.NotFound("OPERATOR_NOT_FOUND", "No such operator");
        await store.SetPasswordAsync(id, passwords.Hash(body.NewPassword), ct);
        await sessions.RevokeAllAsync(id, ct);
        return TypedResults.NoContent();
    }
}
