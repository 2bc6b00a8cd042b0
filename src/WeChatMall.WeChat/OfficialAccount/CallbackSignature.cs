using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace WeChatMall.WeChat.OfficialAccount;

/// <summary>Outcome of a callback signature check.</summary>
public enum SignatureCheck { Valid, Missing, Mismatch }

/// <summary>
/// Official Account callback signatures (消息推送 docs/wechat-protocol.md#callback-signature): <c>signature</c> over [token, timestamp, nonce]
/// for the GET verification and plaintext POSTs, and <c>msg_signature</c> over [token, timestamp, nonce, Encrypt]
/// in compatible/safe mode.
/// </summary>
public static class CallbackSignature
{
    /// <summary>Lower-case hex SHA1 over the ordinal-sorted, concatenated parts.</summary>
    public static string Compute(params ReadOnlySpan<string> parts)
    {
        Span<byte> hash = stackalloc byte[20];
        Hash(parts, hash);
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
        return Matches(signature, [token, timestamp, nonce]);
    }

    public static SignatureCheck VerifyMessageSignature(
        string token, string? timestamp, string? nonce, string? encrypt, string? msgSignature)
    {
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(nonce)
            || string.IsNullOrEmpty(encrypt) || string.IsNullOrEmpty(msgSignature))
            return SignatureCheck.Missing;
        return Matches(msgSignature, [token, timestamp, nonce, encrypt]);
    }

    /// <summary>
    /// Cheap replay protection (docs/wechat-protocol.md#callback-signature, optional): true when the unix-seconds <paramref name="timestamp"/> is
    /// within <paramref name="window"/> of <paramref name="now"/> in either direction.
    /// </summary>
    public static bool IsTimestampFresh(string? timestamp, DateTimeOffset now, TimeSpan window)
        => long.TryParse(timestamp, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            && Math.Abs(now.ToUnixTimeSeconds() - seconds) <= (long)window.TotalSeconds;

    static SignatureCheck Matches(string actual, ReadOnlySpan<string> parts)
    {
        if (actual.Length != 40) return SignatureCheck.Mismatch;
        Span<byte> hash = stackalloc byte[20];
        Hash(parts, hash);
        Span<char> hex = stackalloc char[40];
        Convert.TryToHexStringLower(hash, hex, out _);
        Span<byte> expected = stackalloc byte[40], presented = stackalloc byte[40];
        for (var i = 0; i < 40; i++)
        {
            expected[i] = (byte)hex[i];
            presented[i] = actual[i] < 128 ? (byte)char.ToLowerInvariant(actual[i]) : (byte)'?';
        }
        return CryptographicOperations.FixedTimeEquals(expected, presented) ? SignatureCheck.Valid : SignatureCheck.Mismatch;
    }

    // SHA1 over the parts sorted by ordinal (the default string sort is culture-aware and orders "abc" before
    // "Token": WeChat sorts by byte value) and concatenated as UTF-8. It runs on every callback, so it builds no
    // intermediate strings or arrays.
    static void Hash(ReadOnlySpan<string> parts, Span<byte> hash)
    {
        Span<int> order = stackalloc int[parts.Length];
        for (var i = 0; i < order.Length; i++)
        {
            var j = i;
            for (; j > 0 && string.CompareOrdinal(parts[order[j - 1]], parts[i]) > 0; j--) order[j] = order[j - 1];
            order[j] = i;
        }
        var length = 0;
        foreach (var part in parts) length += Encoding.UTF8.GetByteCount(part);
        byte[]? rented = null;
        var input = length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = 0;
            foreach (var i in order) written += Encoding.UTF8.GetBytes(parts[i], input[written..]);
            SHA1.HashData(input[..written], hash);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
