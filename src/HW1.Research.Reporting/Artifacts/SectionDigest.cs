using System.Text.Json;
using System.Text.Json.Serialization;

namespace HW1.Research.Artifacts;

/// <summary>Content digests of stored sections: what makes an edited number, sentence or figure point detectable.</summary>
public static class SectionDigest
{
    /// <summary>SHA-256 (hex) of the section's stored JSON form with <see cref="ReportSection.Digest"/> left out.</summary>
    public static string Of(ReportSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(section with { Digest = null }, ArtifactJson.Options);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
    }

    /// <summary>The digest of a whole run: SHA-256 over each section's id and digest, in id order (shown on the title page).</summary>
    public static string OfRun(IEnumerable<ReportSection> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var lines = sections.OrderBy(s => s.Id, StringComparer.Ordinal).Select(s => $"{s.Id} {s.Digest ?? Of(s)}\n");
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines))));
    }

    /// <summary>The first 16 hex digits, for tables and log lines.</summary>
    public static string Short(string digest) => digest.Length > 16 ? digest[..16] : digest;
}
