using System.Security.Cryptography;
using System.Text;

namespace WeChatMall.Api.Features.Members;

/// <summary>
/// The product-code format: 16 symbols of Crockford base32 (80 random bits from <see cref="RandomNumberGenerator"/>),
/// printed as XXXX-XXXX-XXXX-XXXX. Typing is forgiving: case, spaces and dashes are ignored and the look-alikes
/// O→0, I/L→1 are mapped. Only <see cref="Hash"/> of the normalized form is stored.
/// </summary>
public static class ProductCode
{
    public const int Length = 16;
    const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford: no I, L, O, U

    public static string NewCode()
    {
        Span<byte> bytes = stackalloc byte[10];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[Length];
        ulong acc = 0; var bits = 0; var n = 0;
        foreach (var b in bytes)
        {
            acc = (acc << 8) | b; bits += 8;
            while (bits >= 5) { bits -= 5; chars[n++] = Alphabet[(int)((acc >> bits) & 31)]; }
        }
        return new string(chars);
    }

    /// <summary>XXXX-XXXX-XXXX-XXXX for printing.</summary>
    public static string Format(string code) => string.Join('-', code.Chunk(4).Select(c => new string(c)));

    /// <summary>The canonical 16 symbols, or null when the input cannot be a code (then it is a failed attempt).</summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 64) return null;
        var sb = new StringBuilder(Length);
        foreach (var raw in input)
        {
            if (raw is ' ' or '-' or '\t' or '\u3000' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2014' or '\u2212') continue;
            var ch = char.ToUpperInvariant(raw) switch { 'O' => '0', 'I' or 'L' => '1', var c => c };
            if (!Alphabet.Contains(ch)) return null;
            sb.Append(ch);
        }
        return sb.Length == Length ? sb.ToString() : null;
    }

    public static byte[] Hash(string normalized) => SHA256.HashData(Encoding.ASCII.GetBytes(normalized));
}
