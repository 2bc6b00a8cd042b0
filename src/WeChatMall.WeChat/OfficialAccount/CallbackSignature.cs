using System.Security.Cryptography;
using System.Text;

namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>Outcome of a callback signature check.</summary>
public enum SignatureCheck { Valid, Missing, Mismatch }

/// <summary>
/// Official Account callback signatures (消息推送 §1.2–1.4): <c>signature</c> over [token, timestamp, nonce]
/// for the GET verification and plaintext POSTs, and <c>msg_signature</c> over [token, timestamp, nonce, Encrypt]
/// in compatible/safe mode.
/// </summary>
public static class CallbackSignature
{
    /// <summary>Lower-case hex SHA1 over the ordinal-sorted, concatenated parts.</summary>
    public static string Compute(params string[] parts)
    {
        var sorted = (string[])parts.Clone();
        // The default string sort is culture-aware and orders "abc" before "Token": WeChat sorts by byte value.
        Array.Sort(sorted, StringComparer.Ordinal);
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(string.Concat(sorted)));
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>The <c>signature</c> query parameter (GET verification and plaintext POST).</summary>
    public static string ComputeUrlSignature(string token, string timestamp, string nonce)
        => Compute(token, timestamp, nonce);

    /// <summary>The <c>msg_signature</c> over the Encrypt value exactly as transmitted.</summary>
    public static string ComputeMessageSignature(string token, string timestamp, string nonce, string encrypt)
        => Compute(token, timestamp, nonce, encrypt);

    public static SignatureCheck VerifyUrlSignature(string token, string? timestamp, string? nonce, string? signature)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce) || string.IsNullOrEmpty(signature))
            return SignatureCheck.Missing;
        return Matches(ComputeUrlSignature(token, timestamp, nonce), signature);
    }

    public static SignatureCheck VerifyMessageSignature(
        string token, string? timestamp, string? nonce, string? encrypt, string? msgSignature)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce)
            || string.IsNullOrEmpty(encrypt) || string.IsNullOrEmpty(msgSignature))
            return SignatureCheck.Missing;
        return Matches(ComputeMessageSignature(token, timestamp, nonce, encrypt), msgSignature);
    }

    /// <summary>
    /// Cheap replay protection (§1.4 step 6, optional): true when the unix-seconds <paramref name="timestamp"/> is
    /// within <paramref name="window"/> of <paramref name="now"/> in either direction.
    /// </summary>
    public static bool IsTimestampFresh(string? timestamp, DateTimeOffset now, TimeSpan window)
        => long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && Math.Abs(now.ToUnixTimeSeconds() - seconds) <= (long)window.TotalSeconds;

    static SignatureCheck Matches(string expected, string actual)
    {
        var equal = CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual.ToLowerInvariant()));
        return equal ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }
}
