using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace WeChatMall.WeChat.Pay;

// DataAnnotations validation without the Options.DataAnnotations package, which is not in our pinned set.
sealed class WeChatPayOptionsValidator : IValidateOptions<WeChatPayOptions>
{
    public ValidateOptionsResult Validate(string? name, WeChatPayOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(
            results.Select(r => $"{WeChatPayOptions.SectionName}: {r.ErrorMessage} ({string.Join(", ", r.MemberNames)})"));
    }
}
