using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Members;

public sealed class CreateProspectRequest
{
    /// <summary>"+86 138-0013-8000", "+85261234567" or a bare 11-digit mainland mobile number.</summary>
    [Required, StringLength(32, MinimumLength = 1)] public string Phone { get; init; } = "";
}

public sealed record ProspectDto(long Id, string Phone);

/// <summary>
/// POST /admin/members: a prospect, a customer the merchant knows only by phone (e.g. from a marketplace). It has no
/// WeChat identity, so nobody signs in as it; the shopper who verifies that number in the mini-program absorbs it.
/// </summary>
public static class CreateProspect
{
    public static async Task<Results<Created<ProspectDto>, ValidationProblem, ProblemHttpResult>> Handle(
        CreateProspectRequest request, MemberStore store, TimeProvider time, CancellationToken ct)
    {
        if (MemberQueries.PhoneQuery(request.Phone.Trim()) is not { } phone)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            { ["Phone"] = ["Give a phone number as +<country code><number>, or an 11-digit mainland mobile number."] });
        var (created, holder) = await store.CreateProspectAsync(phone, time.GetUtcNow().UtcDateTime, ct);
        if (created is { } id) return TypedResults.Created($"/admin/members/{id}", new ProspectDto(id, phone));
        return Problems.Conflict("PHONE_IN_USE", $"Member {holder} already holds this phone number",
            extra: new Dictionary<string, object?> { ["memberId"] = holder });
    }
}
