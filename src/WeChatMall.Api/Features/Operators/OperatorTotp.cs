using Microsoft.Extensions.Options;
using OtpNet;

namespace WeChatMall.Api.Features.Operators;

/// <summary>
/// Time-based one-time codes (RFC 6238: SHA-1, 6 digits, 30 s, as authenticator apps expect) through Otp.NET. A code
/// is accepted one step either side of now for clock drift, and only once (the step is stored as used).
/// </summary>
public sealed class OperatorTotp(IOptions<OperatorOptions> options, TimeProvider time)
{
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    public string EnrolmentUri(string secret, string username) =>
        new OtpUri(OtpType.Totp, secret, username, options.Value.TotpIssuer).ToString();

    /// <summary>The time step the code matches, or null when it matches none near now.</summary>
    public long? Match(string secret, string? code)
    {
        if (string.IsNullOrWhiteSpace(code) || code.Length != 6 || !code.All(char.IsAsciiDigit)) return null;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, code, out var step, VerificationWindow.RfcSpecifiedNetworkDelay) ? step : null;
    }
}
