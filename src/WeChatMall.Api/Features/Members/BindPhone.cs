using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using Polly;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.WeChat.Api;
using WeChatMall.WeChat.MiniProgram;

namespace WeChatMall.Api.Features.Members;

public sealed class BindPhoneRequest
{
    /// <summary>The code from a getPhoneNumber button (bindgetphonenumber's e.detail.code), valid once, for 5 minutes.</summary>
    [Required, StringLength(128, MinimumLength = 1)] public string Code { get; init; } = "";
}

/// <summary>
/// The number, masked: the client already knows it, logs and screenshots need not. AbsorbedMemberId: the prospect
/// (a member with no WeChat identity, e.g. imported with just this number) whose history the caller just took over.
/// </summary>
public sealed record PhoneBoundDto(string Phone, bool Changed)
{
    public long? AbsorbedMemberId { get; init; }
}

/// <summary>
/// Phone binding from the mini-program's phone-number code: getuserphonenumber → "+&lt;country&gt;&lt;digits&gt;" → the
/// member's one phone identity. (kind, value) is unique, so a number belongs to one member; a number another member
/// holds is resolved by <see cref="MergeOnPhone"/> (409 PHONE_IN_USE, or the caller absorbs a prospect). The caller
/// always stays the caller: this route never signs anyone in as another member. The number is never logged.
/// </summary>
public static class BindPhone
{
    const string HolderSql = "SELECT member_id FROM member_identities WHERE kind = 'phone' AND value = @phone FOR UPDATE";
    const string OwnSql = "SELECT id FROM member_identities WHERE kind = 'phone' AND member_id = @memberId FOR UPDATE";
    const string ReplaceSql = "UPDATE member_identities SET value = @phone, created_at = @now WHERE id = @id";
    const string InsertSql = "INSERT INTO member_identities (member_id, kind, value, created_at) VALUES (@memberId, 'phone', @phone, @now)";

    public static async Task<Results<Ok<PhoneBoundDto>, ProblemHttpResult>> Handle(
        BindPhoneRequest request, CurrentMember me, MiniProgramClient miniProgram, MySqlDataSource db, TimeProvider time,
        MemberMerger merger, IOptions<MemberOptions> options, ILogger<MemberStore> logger, CancellationToken ct)
    {
        PhoneNumberInfo info;
        try
        {
            info = await miniProgram.GetPhoneNumberAsync(request.Code.Trim(), ct);
        }
        catch (WeChatApiException ex) when (ex.Kind is WeChatErrorKind.InvalidCode or WeChatErrorKind.CodeAlreadyUsed)
        {
            return Problems.BadRequest("PHONE_CODE_INVALID", "The phone-number code is invalid, expired or already used",
                "Ask the user to tap the getPhoneNumber button again and send the new code; each code works once.");
        }
        catch (Exception ex) when (!ct.IsCancellationRequested
            && ex is WeChatApiException or HttpRequestException or TaskCanceledException or ExecutionRejectedException)
        {
            Log.WeChatPhoneFailed(logger, (ex as WeChatApiException)?.Errcode, ex.GetType().Name);
            return Problems.Unavailable("WECHAT_UNAVAILABLE", "WeChat is unavailable right now", "Try again shortly.");
        }
        if (Normalize(info) is not { } phone)
            return Problems.Unavailable("WECHAT_UNAVAILABLE", "WeChat returned a phone number we cannot read");

        var now = time.GetUtcNow().UtcDateTime;
        var (outcome, holder) = await BindAsync(db, me.Id, phone, now, ct);
        if (outcome == Outcome.InUse)
            return await MergeOnPhone.ResolveAsync(db, merger, options.Value, me.Id, holder, phone, Mask(phone), now, logger, ct);
        if (outcome == Outcome.Changed) Log.PhoneBound(logger, me.Id);
        return TypedResults.Ok(new PhoneBoundDto(Mask(phone), outcome == Outcome.Changed));
    }

    internal enum Outcome { Unchanged, Changed, InUse }

    // One transaction: the number's holder is locked, then the member's own phone row is replaced or inserted.
    // A concurrent bind of the same number by another member loses on the unique key and reads as InUse; the gap
    // locks of two binds of a new number can also deadlock, and the loser simply runs again.
    internal static async Task<(Outcome, long? Holder)> BindAsync(MySqlDataSource db, long memberId, string phone, DateTime now, CancellationToken ct)
    {
        return await LockConflictRetry.RunAsync(() => TryBindAsync(db, memberId, phone, now, ct), ct);
    }

    static async Task<(Outcome, long? Holder)> TryBindAsync(MySqlDataSource db, long memberId, string phone, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(ct);
        var holder = await c.ExecuteScalarAsync<long?>(new CommandDefinition(HolderSql, new { phone }, tx, cancellationToken: ct));
        if (holder == memberId) return (Outcome.Unchanged, holder);
        if (holder is not null) return (Outcome.InUse, holder);
        var own = await c.ExecuteScalarAsync<long?>(new CommandDefinition(OwnSql, new { memberId }, tx, cancellationToken: ct));
        try
        {
            await c.ExecuteAsync(own is { } id
                ? new CommandDefinition(ReplaceSql, new { phone, now, id }, tx, cancellationToken: ct)
                : new CommandDefinition(InsertSql, new { memberId, phone, now }, tx, cancellationToken: ct));
        }
        catch (MySqlException ex) when (ex.ErrorCode == MySqlErrorCode.DuplicateKeyEntry)
        {
            return (Outcome.InUse, null); // the winner's row is not visible to this transaction yet
        }
        await tx.CommitAsync(ct);
        return (Outcome.Changed, memberId);
    }

    /// <summary>
    /// "+" country code and digits (E.164 without separators). WeChat gives the country code separately; mainland
    /// numbers come without one in phoneNumber, so purePhoneNumber + countryCode is the reliable pair.
    /// </summary>
    public static string? Normalize(PhoneNumberInfo info)
    {
        var country = new string(info.CountryCode.Where(char.IsAsciiDigit).ToArray());
        var national = new string((info.PurePhoneNumber.Length > 0 ? info.PurePhoneNumber : info.PhoneNumber).Where(char.IsAsciiDigit).ToArray());
        if (country.Length == 0) country = "86";
        if (national.StartsWith(country, StringComparison.Ordinal) && info.PurePhoneNumber.Length == 0 && info.PhoneNumber.StartsWith('+'))
            national = national[country.Length..];
        var digits = country + national;
        return national.Length >= 4 && digits.Length is >= 7 and <= 15 ? "+" + digits : null;
    }

    static string Mask(string phone) => phone.Length > 7 ? phone[..^8] + "****" + phone[^4..] : "****";

}

static partial class Log
{
    [LoggerMessage(7008, LogLevel.Information, "Member {MemberId} bound a phone number")]
    public static partial void PhoneBound(ILogger logger, long memberId);

    [LoggerMessage(7009, LogLevel.Warning, "Phone-number lookup failed at WeChat (errcode {Errcode}, {Error})")]
    public static partial void WeChatPhoneFailed(ILogger logger, int? errcode, string error);
}
