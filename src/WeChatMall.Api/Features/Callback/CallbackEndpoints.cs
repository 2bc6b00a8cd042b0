using Microsoft.Extensions.Options;
using WeChatMall.Api.Infrastructure.Health;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.WeChat;
using WeChatMall.WeChat.OfficialAccount;

namespace WeChatMall.Api.Features.Callback;

/// <summary>The Official Account's server URL (fixed path /wechat/callback). It speaks WeChat, not ProblemDetails.</summary>
public static class CallbackEndpoints
{
    public static IServiceCollection AddCallback(this IServiceCollection services)
    {
        services.AddOptions<CallbackOptions>().BindConfiguration(CallbackOptions.SectionName).ValidateDataAnnotations();
        services.AddSingleton<CallbackGate>().AddSingleton<CallbackProcessor>().AddSingleton<CallbackRecorder>()
            .AddSingleton<CallbackRequestHandler>();
        services.AddHostedService<CallbackEventWriter>();
        services.AddHealthChecks().AddCheck<CallbackQueueHealthCheck>("callbackQueue", tags: [HealthEndpoints.ReadyTag]);
        services.AddSingleton<MessageCryptoProvider>();
        services.AddSingleton<IOutboxHandler, CustomMessageHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapCallback(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/wechat/callback").WithTags("WeChat callback");
        g.MapGet("/", VerifyUrl)
            .WithSummary("URL verification: echoes echostr when signature = SHA1(sort(token, timestamp, nonce)) is valid.");
        g.MapPost("/", (HttpContext http, CallbackRequestHandler handler, CancellationToken ct) => handler.HandleAsync(http, ct))
            .WithSummary("Message and event push (plaintext, compatible or safe mode). Answers reply XML or 'success'.")
            .Accepts<string>("text/xml", "application/xml")
            .Produces<string>(200, "application/xml", "text/plain")
            .Produces<string>(400, "text/plain").Produces<string>(401, "text/plain").Produces<string>(409, "text/plain")
            .Produces<string>(413, "text/plain").Produces<string>(503, "text/plain");
        return app;
    }

    private static IResult VerifyUrl(string? signature, string? timestamp, string? nonce, string? echostr,
        IOptions<WeChatOptions> options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(CallbackEndpoints));
        var token = options.Value.OfficialAccount.Token;
        if (string.IsNullOrEmpty(token)) return WeChatText.NotConfigured();
        var check = CallbackSignature.VerifyUrlSignature(token, timestamp, nonce, signature);
        Log.UrlVerification(logger, check.ToString());
        if (check != SignatureCheck.Valid || echostr is null) return WeChatText.Unauthorized("invalid signature");
        return Results.Text(echostr, "text/plain");
    }
}

/// <summary>Plain-text bodies for the callback's refusals (WeChat shows none of them to the user).</summary>
public static class WeChatText
{
    public static IResult Unauthorized(string reason) => Results.Text(reason, "text/plain", statusCode: 401);
    public static IResult BadRequest(string reason) => Results.Text(reason, "text/plain", statusCode: 400);
    public static IResult Conflict(string reason) => Results.Text(reason, "text/plain", statusCode: 409);
    public static IResult TooLarge(int max) => Results.Text($"body larger than {max} bytes", "text/plain", statusCode: 413);
    public static IResult NotConfigured() => Results.Text(
        "WeChat:OfficialAccount:Token is not configured", "text/plain", statusCode: 503);
    public static IResult Success() => Results.Text("success", "text/plain");
    public static IResult Xml(string xml) => Results.Text(xml, "application/xml");
}
