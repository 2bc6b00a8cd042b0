using WeChatMall.Api.Infrastructure.Auth;

namespace WeChatMall.Api.Features.Operators;

/// <summary>
/// <c>dotnet WeChatMall.Api.dll operators create-owner --username U --password-stdin [--if-absent]</c>: the first
/// owner of a fresh installation (the password is read from standard input, so it stays out of shell history and
/// process lists). With <c>--if-absent</c> an existing username is left as it is and the command succeeds.
/// </summary>
public static class OperatorCommands
{
    public static bool Handles(string[] args) => args.Length > 0 && args[0] == "operators";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextReader input, TextWriter output, TextWriter error)
    {
        if (args is not ["operators", "create-owner", ..])
        {
            await error.WriteLineAsync("usage: operators create-owner --username NAME --password-stdin [--display-name NAME] [--if-absent]");
            return 2;
        }
        var username = ValueOf(args, "--username")?.Trim().ToLowerInvariant();
        if (username is null || !System.Text.RegularExpressions.Regex.IsMatch(username, "^[a-z0-9][a-z0-9._-]{2,63}$")
            || !args.Contains("--password-stdin"))
        {
            await error.WriteLineAsync("operators create-owner: --username (3-64 of a-z 0-9 . _ -) and --password-stdin are required");
            return 2;
        }
        var password = (await input.ReadLineAsync())?.TrimEnd('\r', '\n') ?? "";
        if (password.Length is < 10 or > 200)
        {
            await error.WriteLineAsync("operators create-owner: the password must be 10 to 200 characters");
            return 2;
        }
        var store = services.GetRequiredService<OperatorStore>();
        var hash = services.GetRequiredService<OperatorPasswords>().Hash(password);
        var id = await store.CreateAsync(username, ValueOf(args, "--display-name") ?? username, AdminRole.Owner, hash, CancellationToken.None);
        if (id is null)
        {
            if (args.Contains("--if-absent"))
            {
                await output.WriteLineAsync($"operator '{username}' exists; left unchanged");
                return 0;
            }
            await error.WriteLineAsync($"operators create-owner: the username '{username}' is taken");
            return 1;
        }
        await output.WriteLineAsync($"owner '{username}' created (id {id})");
        return 0;
    }

    static string? ValueOf(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
