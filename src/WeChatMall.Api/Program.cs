using WeChatMall.Api.Features.Audience;
using WeChatMall.Api.Features.Audience.Marketplace;
using WeChatMall.Api.Features.AutoReplies;
using WeChatMall.Api.Features.Callback;
using WeChatMall.Api.Features.Campaigns;
using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Features.Channels;
using WeChatMall.Api.Features.DevSandbox;
using WeChatMall.Api.Features.Followers;
using WeChatMall.Api.Features.Journeys;
using WeChatMall.Api.Features.Loyalty;
using WeChatMall.Api.Features.Members;
using WeChatMall.Api.Features.Metrics;
using WeChatMall.Api.Features.Offers;
using WeChatMall.Api.Features.Operators;
using WeChatMall.Api.Features.Orders;
using WeChatMall.Api.Features.Payments;
using WeChatMall.Api.Features.Shop;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Health;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.Jobs;
using WeChatMall.Api.Infrastructure.Outbox;
using WeChatMall.Api.Infrastructure.RateLimiting;
using WeChatMall.Api.Infrastructure.Redis;
using WeChatMall.Api.Infrastructure.Runtime;
using WeChatMall.Api.Infrastructure.WeChat;

GcFloor.Keep();
var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddApiProblemDetails();
builder.Services.AddValidation(); // DataAnnotations on request DTOs → 400 ValidationProblem; once per app (source generator)
builder.Services.AddApiDocs();
builder.Services.AddConsole();
builder.Services.AddDatabase();
builder.Services.AddRedis();
builder.Services.AddForwardedHeadersFromSettings();
builder.Services.AddRateLimits();
builder.Services.AddHealth();
builder.Services.AddAdminAuth();
builder.Services.AddOperators();
builder.Services.AddOutbox();
builder.Services.AddJobs();
builder.Services.AddWeChatIntegration(builder.Configuration);
builder.Services.AddAutoReplies();
builder.Services.AddFollowers();
builder.Services.AddCallback();
builder.Services.AddCatalog();
builder.Services.AddMembers();
builder.Services.AddLoyalty();
builder.Services.AddOrders();
builder.Services.AddPayments(builder.Configuration);
builder.Services.AddChannels();
builder.Services.AddShop();
builder.Services.AddDevSandbox();
builder.Services.AddMarketplace();
builder.Services.AddMerchantMetrics();
builder.Services.AddAudience();
builder.Services.AddOffers();
builder.Services.AddCampaigns();
builder.Services.AddJourneys();

var app = builder.Build();

if (args.Contains("migrate"))
{
    app.Services.GetRequiredService<DatabaseMigrator>().Migrate();
    return;
}
if (AudienceCommand.IsAudienceCommand(args))
{
    Environment.ExitCode = await AudienceCommand.RunAsync(app.Services, args);
    return;
}
app.MigrateOnStartupIfEnabled();
if (OperatorCommands.Handles(args))
{
    Environment.ExitCode = await OperatorCommands.RunAsync(app.Services, args, Console.In, Console.Out, Console.Error);
    return;
}

app.UseForwardedHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
// (A flash sale's sold-out attempts are answered before this pipeline: SoldOutShortcut, a startup filter of AddOrders.)
app.UseRateLimits();
app.UseAdminAudit();
// Every route group, one line each, in the order they appear in the API document (docs/api/openapi.json).
app.MapHealth();
app.MapApiDocs();
app.MapConsole();
app.MapAutoReplies();
app.MapCallback();
app.MapBench();
app.MapCatalog();
app.MapCatalogAdmin();
app.MapCatalogBench();
app.MapMembers();
app.MapLoyalty();
app.MapMemberAdmin();
app.MapProductCodeAdmin();
app.MapTierAdmin();
app.MapMemberOAuth();
app.MapOrders();
app.MapCart();
app.MapAddresses();
app.MapOrderAdmin();
app.MapPayments();
app.MapPayNotify();
app.MapRefunds();
app.MapChannels();
app.MapFollowers();
app.MapShop();
app.MapDevSandbox();
app.MapMarketplace();
app.MapMerchantMetrics();
app.MapAudienceAdmin();
app.MapOffers();
app.MapOfferAdmin();
app.MapOperatorSession();
app.MapOperatorAdmin();
app.MapApiTokens();
app.MapAudit();
app.MapCampaigns();
app.MapJourneys();

app.Run();
