using Microsoft.Extensions.Options;

namespace WeChatMall.Api.Features.Operators;

/// <summary>
/// BCrypt (BCrypt.Net-Next) over a SHA-384 pre-hash ("enhanced" mode), so passwords longer than BCrypt's 72 bytes
/// still count in full. An unknown username is checked against a dummy hash, so it costs the same time as a wrong password.
/// </summary>
public sealed class OperatorPasswords(IOptions<OperatorOptions> options)
{
    readonly Lazy<string> dummy = new(() => BCrypt.Net.BCrypt.EnhancedHashPassword("not-a-password", options.Value.PasswordWorkFactor));

    public string Hash(string password) => BCrypt.Net.BCrypt.EnhancedHashPassword(password, options.Value.PasswordWorkFactor);

    public bool Verify(string password, string? hash)
    {
        if (hash is null)
        {
            BCrypt.Net.BCrypt.EnhancedVerify(password, dummy.Value);
            return false;
        }
        try
        {
            return BCrypt.Net.BCrypt.EnhancedVerify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }
}
