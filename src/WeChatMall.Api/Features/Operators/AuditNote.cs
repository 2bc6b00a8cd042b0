namespace WeChatMall.Api.Features.Operators;

/// <summary>Who acted, for the audit entry, when the request's credentials do not say (a sign-in).</summary>
public sealed record AuditActor(string Kind, long? OperatorId, string Name);

/// <summary>
/// What a handler can add cheaply to the audit entry of its request (<see cref="AuditMiddleware"/>): a named action,
/// the actor of a sign-in, and the state before and after the change.
/// </summary>
public sealed class AuditNote
{
    public string? Action { get; set; }
    public AuditActor? Actor { get; set; }
    public object? Before { get; set; }
    public object? After { get; set; }

    /// <summary>The note of this request, or a throwaway one when the request is not audited (tests, CLI).</summary>
    public static AuditNote Of(HttpContext http) => http.Features.Get<AuditNote>() ?? new AuditNote();
}
