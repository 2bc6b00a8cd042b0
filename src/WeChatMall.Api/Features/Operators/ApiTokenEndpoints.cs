using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Operators;

/// <summary>API tokens for integrations: created with a role and an expiry, shown once, revocable.</summary>
public static class ApiTokenEndpoints
{
    public static RouteGroupBuilder MapApiTokens(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/admin/api-tokens").WithTags("Operators").RequireAdmin(AdminArea.Operators);
        g.MapGet("", List).WithName("AdminListApiTokens");
        g.MapPost("", Create).WithName("AdminCreateApiToken");
        g.MapDelete("/{id:long}", Revoke).WithName("AdminRevokeApiToken");
        return g;
    }

    static async Task<Ok<IReadOnlyList<ApiTokenDto>>> List(ApiTokenStore tokens, CancellationToken ct) =>
        TypedResults.Ok(await tokens.ListAsync(ct));

    static async Task<Results<Created<ApiTokenCreatedDto>, ProblemHttpResult>> Create(
        CreateApiTokenRequest body, HttpContext http, ApiTokenStore tokens, IOptions<OperatorOptions> options, TimeProvider time, CancellationToken ct)
    {
        if (body.ExpiresInDays > options.Value.ApiTokenMaxDays)
            return Problems.BadRequest("TOKEN_LIFETIME_TOO_LONG", "The token would live too long",
                $"At most {options.Value.ApiTokenMaxDays} days (Operators:ApiTokenMaxDays).");
        var expiresAt = time.GetUtcNow().UtcDateTime.AddDays(body.ExpiresInDays);
        var (token, secret) = await tokens.CreateAsync(body.Name.Trim(), body.Role, expiresAt, http.User.FindFirstValue(ClaimTypes.Name) ?? "", ct);
        AuditNote.Of(http).After = token;
        return TypedResults.Created($"/admin/api-tokens/{token.Id}", new ApiTokenCreatedDto(token, secret));
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Revoke(long id, HttpContext http, ApiTokenStore tokens, CancellationToken ct)
    {
        if (await tokens.RevokeAsync(id, ct) is not { } revoked) return Problems.NotFound("API_TOKEN_NOT_FOUND", "No such API token");
        AuditNote.Of(http).After = revoked;
        return TypedResults.NoContent();
    }
}
