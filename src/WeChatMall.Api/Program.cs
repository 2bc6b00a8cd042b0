using WeChatMall.Api.Features.Catalog;
using WeChatMall.Api.Infrastructure.Auth;
using WeChatMall.Api.Infrastructure.Database;
using WeChatMall.Api.Infrastructure.Health;
using WeChatMall.Api.Infrastructure.Http;
using WeChatMall.Api.Infrastructure.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddApiProblemDetails();
builder.Services.AddApiDocs();
builder.Services.AddDatabase();
builder.Services.AddRedis();
builder.Services.AddHealth();
builder.Services.AddAdminAuth();
builder.Services.AddCatalog();

var app = builder.Build();

if (args.Contains("migrate"))
{
    app.Services.GetRequiredService<DatabaseMigrator>().Migrate();
    return;
}
app.MigrateOnStartupIfEnabled();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapHealth();
app.MapApiDocs();
app.MapBench();
app.MapCatalog();

app.Run();
