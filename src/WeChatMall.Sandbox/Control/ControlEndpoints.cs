using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using WeChatMall.Sandbox.Faults;
using WeChatMall.Sandbox.Followers;
using WeChatMall.Sandbox.OfficialAccount;
using WeChatMall.Sandbox.Pay;
using WeChatMall.Sandbox.Recording;

namespace WeChatMall.Sandbox.Control;

/// <summary>The sandbox's own JSON API under /sandbox: recordings, fault injection, configuration, the menu.</summary>
public static class ControlEndpoints
{
    public sealed record ConfigRequest(string? CallbackUrl = null, bool? SafeMode = null);
    public sealed record SubscriptionRequest(string? OpenId, string[]? TemplateIds, string Status = "accept", bool Notify = true);

    public static void MapControl(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/sandbox");
        g.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        g.MapGet("/calls", (string? route, CallRecorder calls) => Results.Ok(calls.List(route)));
        g.MapDelete("/calls", (CallRecorder calls) => { calls.Clear(); return Results.NoContent(); });
        g.MapGet("/messages", (string? openid, string? kind, MessageLog log) => Results.Ok(log.List(openid, kind)));
        g.MapGet("/messages/stats", (string? kind, MessageLog log) => Results.Ok(log.Stats(kind)));
        g.MapGet("/calls/stats", (string route, CallRecorder calls) => Results.Ok(calls.StatusCounts(route)));
        g.MapDelete("/messages", (MessageLog log) => { log.Clear(); return Results.NoContent(); });
        g.MapGet("/callbacks", (string? openid, CallbackLog log) => Results.Ok(log.List(openid)));
        g.MapDelete("/callbacks", (CallbackLog log) => { log.Clear(); return Results.NoContent(); });
        g.MapGet("/faults", (FaultInjector f) => Results.Ok(f.List()));
        g.MapPost("/faults", AddFault);
        g.MapDelete("/faults", (FaultInjector f) => { f.Clear(); return Results.NoContent(); });
        g.MapGet("/config", (SandboxRuntime r) => Results.Ok(new { r.CallbackUrl, r.SafeMode }));
        g.MapPut("/config", SetConfig);
        // Templates and subscribe credits (what a member accepting wx.requestSubscribeMessage gives).
        g.MapGet("/templates", (MessageRules r) => Results.Ok(r.Templates(MessageRules.OaKind).Concat(r.Templates(MessageRules.SubscribeKind))));
        g.MapPost("/templates", (MessageRules.Template t, MessageRules r) =>
        {
            if (t.Kind is not (MessageRules.OaKind or MessageRules.SubscribeKind) || string.IsNullOrEmpty(t.TemplateId))
                return Results.BadRequest(new { errors = new[] { "kind is oa or subscribe; templateId is required" } });
            r.AddTemplate(t);
            return Results.Ok(t);
        });
        g.MapPost("/miniprogram/subscriptions", Subscribe);
        g.MapGet("/menu", (AccountState s) => Results.Ok(s.Menu()));
        // Seeds the menu without a token (start.sh); the app's own menu/create goes through /cgi-bin/menu/create.
        g.MapPut("/menu", (JsonElement body, AccountState s) =>
            s.SetMenu(body) is var e and not 0 ? Results.BadRequest(new { errcode = e }) : Results.Ok(s.Menu()));
        g.MapPost("/reset", (CallRecorder c, MessageLog m, CallbackLog cb, FaultInjector f, NotificationSender n, TokenService t,
            FollowerRegistry fr, MessageRules rules, MassRules mass) =>
        {
            c.Clear(); m.Clear(); cb.Clear(); f.Clear(); n.Clear(); t.Clear(); fr.Reset(); rules.Reset(); mass.Reset();
            return Results.NoContent();
        });
    }

    // The member answers wx.requestSubscribeMessage: WeChat counts the credit and, with Notify, pushes
    // subscribe_msg_popup_event to the callback (the mini-program's message push, configured to the same URL).
    static async Task<IResult> Subscribe(SubscriptionRequest s, MessageRules rules, FollowerSimulator sim, CancellationToken ct)
    {
        if (s.OpenId is not { Length: > 0 } openId || s.TemplateIds is not { Length: > 0 } ids || s.Status is not ("accept" or "reject" or "ban"))
            return Results.BadRequest(new { errors = new[] { "openId and templateIds are required; status is accept, reject or ban" } });
        var credits = ids.Select(id => new { templateId = id, credits = s.Status == "accept" ? rules.AddCredit(openId, id) : rules.Credits(openId, id) }).ToList();
        if (s.Notify)
        {
            var xml = InboundXml.SubscribePopup(sim.OriginalId, openId, sim.Now(), ids.Select(id => (id, s.Status)));
            var delivery = await sim.DeliverAsync(openId, "subscribe_msg_popup_event", xml, null, ct);
            return Results.Ok(new { credits, delivery = delivery.Status });
        }
        return Results.Ok(new { credits });
    }

    static IResult AddFault(FaultRequest request, FaultInjector faults)
    {
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(request, new ValidationContext(request), errors, validateAllProperties: true))
            return Results.BadRequest(new { errors = errors.Select(e => e.ErrorMessage) });
        if (request.Errcode is null && request.HttpStatus is null && request.DelayMs is null)
            return Results.BadRequest(new { errors = new[] { "give errcode, httpStatus or delayMs" } });
        faults.Add(request);
        return Results.Ok(faults.List());
    }

    static IResult SetConfig(ConfigRequest request, SandboxRuntime runtime)
    {
        if (request.CallbackUrl is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                return Results.BadRequest(new { errors = new[] { "callbackUrl must be an absolute http(s) URL" } });
            runtime.CallbackUrl = url;
        }
        if (request.SafeMode is { } safe) runtime.SafeMode = safe;
        return Results.Ok(new { runtime.CallbackUrl, runtime.SafeMode });
    }
}
