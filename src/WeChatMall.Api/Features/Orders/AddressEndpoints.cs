using System.Text.RegularExpressions;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Http;

namespace WeChatMall.Api.Features.Orders;

public sealed record AddressRequest(string? Recipient, string? Phone, string? Province, string? City, string? District,
    string? Detail, string? PostalCode, bool IsDefault);

public sealed record AddressDto(long Id, string Recipient, string Phone, string Province, string City, string District,
    string Detail, string? PostalCode, bool IsDefault, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>
/// /api/me/addresses: a member's shipping addresses. Exactly one is the default while any exist (the first one made,
/// or the one last marked default; deleting the default promotes the oldest left). Orders copy the address, so editing
/// or deleting one never changes an order.
/// </summary>
public static partial class AddressEndpoints
{
    public static IEndpointRouteBuilder MapAddresses(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/me/addresses").WithTags("Addresses").RequireAuthorization(MemberAuth.Policy);
        g.MapGet("/", ListAddresses).WithName(nameof(ListAddresses));
        g.MapPost("/", CreateAddress).WithName(nameof(CreateAddress));
        g.MapPut("/{id:long}", UpdateAddress).WithName(nameof(UpdateAddress));
        g.MapDelete("/{id:long}", DeleteAddress).WithName(nameof(DeleteAddress));
        return app;
    }

    const string Columns = "id, recipient, phone, province, city, district, detail, postal_code, is_default, created_at, updated_at";
    const string ListSql = "SELECT " + Columns + " FROM member_addresses WHERE member_id = @memberId ORDER BY is_default DESC, id";
    const string OneSql = "SELECT " + Columns + " FROM member_addresses WHERE member_id = @memberId AND id = @id";
    // The member row lock already serialises one member's address writes. Read committed spares the gap locks that made
    // neighbouring members' writes deadlock with each other under load (the retry could run out: 503 in CI).
    const System.Data.IsolationLevel AddressIsolation = System.Data.IsolationLevel.ReadCommitted;

    const string LockMemberSql = "SELECT id FROM members WHERE id = @memberId FOR UPDATE";
    const string CountSql = "SELECT COUNT(*) FROM member_addresses WHERE member_id = @memberId";
    const string ClearDefaultSql = "UPDATE member_addresses SET is_default = FALSE WHERE member_id = @memberId AND is_default AND id <> @id";

    const string InsertSql = """
        INSERT INTO member_addresses (member_id, recipient, phone, province, city, district, detail, postal_code, is_default, created_at, updated_at)
        VALUES (@memberId, @Recipient, @Phone, @Province, @City, @District, @Detail, @PostalCode, @isDefault, @now, @now);
        SELECT LAST_INSERT_ID();
        """;

    const string UpdateSql = """
        UPDATE member_addresses SET recipient = @Recipient, phone = @Phone, province = @Province, city = @City, district = @District,
            detail = @Detail, postal_code = @PostalCode, is_default = (is_default OR @IsDefault), updated_at = @now
        WHERE id = @id AND member_id = @memberId
        """;

    const string DeleteSql = "DELETE FROM member_addresses WHERE id = @id AND member_id = @memberId";

    const string PromoteSql = """
        UPDATE member_addresses SET is_default = TRUE WHERE member_id = @memberId
          AND NOT EXISTS (SELECT 1 FROM (SELECT id FROM member_addresses WHERE member_id = @memberId AND is_default) d)
        ORDER BY id LIMIT 1
        """;

    static async Task<Ok<IReadOnlyList<AddressDto>>> ListAddresses(CurrentMember me, MySqlDataSource db, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        return TypedResults.Ok<IReadOnlyList<AddressDto>>([.. await c.QueryAsync<AddressDto>(new CommandDefinition(ListSql, new { memberId = me.Id }, cancellationToken: ct))]);
    }

    static async Task<Results<Created<AddressDto>, ValidationProblem, ProblemHttpResult>> CreateAddress(AddressRequest request, CurrentMember me,
        MySqlDataSource db, IOptions<OrderOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(request) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var r = Trimmed(request);
        var memberId = me.Id;
        var now = clock.GetUtcNow().UtcDateTime;
        return await LockConflictRetry.RunAsync(() => InsertAsync(db, memberId, r, options.Value.MaxAddresses, now, ct), ct);
    }

    static async Task<Results<Created<AddressDto>, ValidationProblem, ProblemHttpResult>> InsertAsync(MySqlDataSource db, long memberId,
        AddressRequest r, int maxAddresses, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(AddressIsolation, ct);
        await c.ExecuteScalarAsync<long>(new CommandDefinition(LockMemberSql, new { memberId }, tx, cancellationToken: ct));
        var count = await c.ExecuteScalarAsync<int>(new CommandDefinition(CountSql, new { memberId }, tx, cancellationToken: ct));
        if (count >= maxAddresses)
            return Problems.Unprocessable("ADDRESS_LIMIT", $"At most {maxAddresses} addresses; delete one first");
        var isDefault = r.IsDefault || count == 0;
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(InsertSql,
            new { memberId, r.Recipient, r.Phone, r.Province, r.City, r.District, r.Detail, r.PostalCode, isDefault, now }, tx, cancellationToken: ct));
        if (isDefault) await c.ExecuteAsync(new CommandDefinition(ClearDefaultSql, new { memberId, id }, tx, cancellationToken: ct));
        var dto = await c.QuerySingleAsync<AddressDto>(new CommandDefinition(OneSql, new { memberId, id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Created($"/api/me/addresses/{id}", dto);
    }

    /// <summary>Replaces the address. isDefault true makes it the default; false never un-defaults it (mark another instead).</summary>
    static async Task<Results<Ok<AddressDto>, ValidationProblem, ProblemHttpResult>> UpdateAddress(long id, AddressRequest request,
        CurrentMember me, MySqlDataSource db, TimeProvider clock, CancellationToken ct)
    {
        if (Validate(request) is { Count: > 0 } errors) return TypedResults.ValidationProblem(errors);
        var r = Trimmed(request);
        var memberId = me.Id;
        var now = clock.GetUtcNow().UtcDateTime;
        return await LockConflictRetry.RunAsync(() => ReplaceAsync(db, memberId, id, r, now, ct), ct);
    }

    static async Task<Results<Ok<AddressDto>, ValidationProblem, ProblemHttpResult>> ReplaceAsync(MySqlDataSource db, long memberId, long id,
        AddressRequest r, DateTime now, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(AddressIsolation, ct);
        await c.ExecuteScalarAsync<long>(new CommandDefinition(LockMemberSql, new { memberId }, tx, cancellationToken: ct));
        var changed = await c.ExecuteAsync(new CommandDefinition(UpdateSql, new
        {
            id, memberId, r.Recipient, r.Phone, r.Province, r.City, r.District, r.Detail, r.PostalCode, r.IsDefault, now,
        }, tx, cancellationToken: ct));
        if (changed == 0) return AddressNotFound(id);
        if (r.IsDefault) await c.ExecuteAsync(new CommandDefinition(ClearDefaultSql, new { memberId, id }, tx, cancellationToken: ct));
        var dto = await c.QuerySingleAsync<AddressDto>(new CommandDefinition(OneSql, new { memberId, id }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.Ok(dto);
    }

    static async Task<Results<NoContent, ProblemHttpResult>> DeleteAddress(long id, CurrentMember me, MySqlDataSource db, CancellationToken ct) =>
        await LockConflictRetry.RunAsync(() => RemoveAsync(db, me.Id, id, ct), ct);

    static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(MySqlDataSource db, long memberId, long id, CancellationToken ct)
    {
        await using var c = await db.OpenConnectionAsync(ct);
        await using var tx = await c.BeginTransactionAsync(AddressIsolation, ct);
        await c.ExecuteScalarAsync<long>(new CommandDefinition(LockMemberSql, new { memberId }, tx, cancellationToken: ct));
        if (await c.ExecuteAsync(new CommandDefinition(DeleteSql, new { id, memberId }, tx, cancellationToken: ct)) == 0) return AddressNotFound(id);
        await c.ExecuteAsync(new CommandDefinition(PromoteSql, new { memberId }, tx, cancellationToken: ct));
        await tx.CommitAsync(ct);
        return TypedResults.NoContent();
    }

    static ProblemHttpResult AddressNotFound(long id) => Problems.NotFound("ADDRESS_NOT_FOUND", $"No address {id}");

    static AddressRequest Trimmed(AddressRequest r) => r with
    {
        Recipient = r.Recipient!.Trim(),
        Phone = r.Phone!.Trim(),
        Province = r.Province!.Trim(),
        City = r.City!.Trim(),
        District = r.District!.Trim(),
        Detail = r.Detail!.Trim(),
        PostalCode = string.IsNullOrWhiteSpace(r.PostalCode) ? null : r.PostalCode.Trim(),
    };

    static Dictionary<string, string[]> Validate(AddressRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        void Text(string name, string? value, int max)
        {
            if (string.IsNullOrWhiteSpace(value) || value.Trim().Length > max) errors[name] = [$"{name} is 1 to {max} characters."];
        }
        Text("recipient", r.Recipient, 64);
        Text("province", r.Province, 32);
        Text("city", r.City, 32);
        Text("district", r.District, 32);
        Text("detail", r.Detail, 256);
        if (r.Phone is null || !PhoneRegex().IsMatch(r.Phone.Trim())) errors["phone"] = ["phone is 6 to 20 digits, optionally with a leading + and - or spaces."];
        if (!string.IsNullOrWhiteSpace(r.PostalCode) && !PostalRegex().IsMatch(r.PostalCode.Trim())) errors["postalCode"] = ["postalCode is 3 to 10 digits."];
        return errors;
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{4,22}[0-9]$")]
    private static partial Regex PhoneRegex();

    [GeneratedRegex(@"^[0-9]{3,10}$")]
    private static partial Regex PostalRegex();
}
