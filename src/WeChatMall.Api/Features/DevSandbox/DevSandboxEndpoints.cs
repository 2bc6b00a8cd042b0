using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using MySqlConnector;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.RateLimiting;

namespace WeChatMall.Api.Features.DevSandbox;

/// <summary>
/// /api/dev/sandbox: what WeChat's client would do for the shopper, asked of the sandbox, for the H5 shop in development
/// and the browser tests: mint a wx.login code, a getPhoneNumber code, and play the cashier that approves a payment.
/// Mapped only when <see cref="DevSandboxGate.IsEnabled"/> (never in Production, never against the real WeChat).
/// </summary>
public static class DevSandboxEndpoints
{
    public const string HttpClientName = "DevSandbox";

    public static IServiceCollection AddDevSandbox(this IServiceCollection services)
    {
        services.AddHttpClient(HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }

    public static IEndpointRouteBuilder MapDevSandbox(this IEndpointRouteBuilder app)
    {
        var services = app.ServiceProvider;
        if (!DevSandboxGate.IsEnabled(services.GetRequiredService<IHostEnvironment>(), services.GetRequiredService<IConfiguration>())) return app;
        var g = app.MapGroup("/api/dev/sandbox").WithTags("DevSandbox");
        g.MapPost("/login-codes", MintLoginCode).WithName("DevMintLoginCode").RateLimited(RateLimitPolicy.Login);
        g.MapPost("/phone-codes", MintPhoneCode).WithName("DevMintPhoneCode").RequireAuthorization(MemberAuth.Policy);
        g.MapPost("/orders/{orderNo}/approve-payment", ApprovePayment).WithName("DevApprovePayment")
            .RequireAuthorization(MemberAuth.Policy);
        return app;
    }

    static async Task<Results<Ok<DevCodeDto>, ProblemHttpResult>> MintLoginCode(
        DevLoginCodeRequest? request, IHttpClientFactory http, IConfiguration configuration, CancellationToken ct)
    {
        var answer = await PostAsync(http, configuration["WeChat:ApiBaseUrl"], "/sandbox/miniprogram/codes", new { openId = request?.OpenId }, ct);
        return answer is { } a && Text(a, "code") is { } code
            ? TypedResults.Ok(new DevCodeDto(code, Text(a, "openid")))
            : Refused("The sandbox did not mint a login code.");
    }

    static async Task<Results<Ok<DevCodeDto>, ProblemHttpResult>> MintPhoneCode(
        DevPhoneCodeRequest request, IHttpClientFactory http, IConfiguration configuration, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.PurePhoneNumber) || request.PurePhoneNumber.Length > 20 || !request.PurePhoneNumber.All(char.IsAsciiDigit))
            return Problems.BadRequest("BAD_REQUEST", "purePhoneNumber is 1 to 20 digits.");
        var answer = await PostAsync(http, configuration["WeChat:ApiBaseUrl"], "/sandbox/miniprogram/phone-codes",
            new { purePhoneNumber = request.PurePhoneNumber }, ct);
        return answer is { } a && Text(a, "code") is { } code
            ? TypedResults.Ok(new DevCodeDto(code, null))
            : Refused("The sandbox did not mint a phone code.");
    }

    // '' when the order exists without a prepay, null when it is not this member's.
    const string PrepaySql = "SELECT COALESCE(prepay_id, '') FROM orders WHERE order_no = @orderNo AND member_id = @memberId";

    // Only the member's own order, and only once it has a prepay (POST /api/orders/{orderNo}/pay): the sandbox then
    // plays the shopper confirming in WeChat Pay and sends the signed notification to our /pay/notify.
    static async Task<Results<Ok<DevPaymentApprovedDto>, ProblemHttpResult>> ApprovePayment(
        string orderNo, CurrentMember me, MySqlDataSource db, IHttpClientFactory http, IConfiguration configuration, CancellationToken ct)
    {
        await using (var c = await db.OpenConnectionAsync(ct))
        {
            var prepayId = await c.ExecuteScalarAsync<string?>(new CommandDefinition(PrepaySql, new { orderNo, memberId = me.Id }, cancellationToken: ct));
            if (prepayId is null) return Problems.NotFound("ORDER_NOT_FOUND", "No such order.");
            if (prepayId.Length == 0)
                return Problems.Conflict("ORDER_NOT_PAYABLE", "Ask to pay first (POST /api/orders/{orderNo}/pay).");
        }
        var payBase = configuration["WeChatPay:ApiBaseUrl"];
        if (!DevSandboxGate.IsNotWeChat(payBase)) return Refused("WeChatPay:ApiBaseUrl is not the sandbox.");
        var answer = await PostAsync(http, payBase, $"/sandbox/pay/{Uri.EscapeDataString(orderNo)}/pay", new { }, ct);
        return answer is { } a && a.TryGetProperty("transaction", out var t) && (Text(t, "transactionId") ?? Text(t, "transaction_id")) is { } id
            ? TypedResults.Ok(new DevPaymentApprovedDto(orderNo, id))
            : Problems.Conflict("ORDER_NOT_PAYABLE", "The sandbox cashier refused: the order is not waiting for payment.");
    }

    static async Task<JsonElement?> PostAsync(IHttpClientFactory http, string? baseUrl, string path, object body, CancellationToken ct)
    {
        if (!DevSandboxGate.IsNotWeChat(baseUrl)) return null;
        using var client = http.CreateClient(HttpClientName);
        try
        {
            using var response = await client.PostAsJsonAsync(baseUrl!.TrimEnd('/') + path, body, ct);
            if (!response.IsSuccessStatusCode) return null;
            return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    static ProblemHttpResult Refused(string title) => Problems.Of(StatusCodes.Status502BadGateway, "SANDBOX_UNAVAILABLE", title);
}
