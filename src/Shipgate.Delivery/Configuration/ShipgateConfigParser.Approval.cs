using Shipgate.Core.Workflows;

namespace Shipgate.Delivery.Configuration;

internal sealed partial class ShipgateConfigParser
{
    private static readonly string[] ApprovalKeys =
        ["reviewers", "required", "prevent-self-review", "expires-after", "on-expiry", "instructions", "unknown-authors"];
    private static readonly string[] UnknownAuthorsActions = ["allow", "block"];
    private static readonly string[] ExpiryActions = ["reject", "keep-waiting"];

    /// <summary>The most approvals one gate can require.</summary>
    internal const int MaxRequired = 100;

    /// <summary>The longest user or team name in a reviewer entry.</summary>
    internal const int MaxReviewerName = 100;

    /// <summary>An approval block: the environment's, or a canary approval step's own.</summary>
    private ApprovalDefinition? ReadApproval(TemplateToken token, string what)
    {
        var map = ReadMapping(token, what);
        if (map is null)
        {
            return null;
        }

        List<ReviewerReference>? reviewers = null;
        int? required = null;
        ScalarToken? requiredToken = null;
        var preventSelfReview = false;
        TimeSpan? expiresAfter = null;
        ScalarToken? onExpiry = null;
        string? instructions = null;
        ScalarToken? unknownAuthors = null;
        var valid = true;
        foreach (var (key, value) in map.Pairs)
        {
            switch (key.Value)
            {
                case "reviewers":
                    reviewers = ReadReviewers(value, $"{what}.reviewers");
                    valid &= reviewers is not null;
                    break;
                case "required":
                    requiredToken = value as ScalarToken;
                    required = ReadInteger(value, $"{what}.required", 1, MaxRequired);
                    valid &= required is not null;
                    break;
                case "prevent-self-review":
                    var prevent = ReadBoolean(value, $"{what}.prevent-self-review");
                    preventSelfReview = prevent ?? false;
                    valid &= prevent is not null;
                    break;
                case "expires-after":
                    expiresAfter = ReadDuration(value, $"{what}.expires-after", TimeSpan.FromMinutes(1));
                    valid &= expiresAfter is not null;
                    break;
                case "on-expiry":
                    onExpiry = ReadChoice(value, $"{what}.on-expiry", ExpiryActions);
                    valid &= onExpiry is not null;
                    break;
                case "instructions":
                    instructions = ReadString(value, $"{what}.instructions")?.Value;
                    valid &= instructions is not null;
                    break;
                case "unknown-authors":
                    unknownAuthors = ReadChoice(value, $"{what}.unknown-authors", UnknownAuthorsActions);
                    valid &= unknownAuthors is not null;
                    break;
                default:
                    UnknownKey(key, ApprovalKeys, what);
                    valid = false;
                    break;
            }
        }

        if (reviewers is null && map["reviewers"] is null)
        {
            Error(map.Location, $"'{what}' needs 'reviewers': the users and team:NAME entries who may approve");
            return null;
        }

        if (reviewers is { Count: > 0 } && reviewers.All(r => !r.IsTeam) && required > reviewers.Count && requiredToken is not null)
        {
            Error(requiredToken.Location, $"'{what}.required' is {required} but only {reviewers.Count} reviewer{(reviewers.Count == 1 ? " is" : "s are")} listed");
            valid = false;
        }

        if (onExpiry is not null && expiresAfter is null && map["expires-after"] is null)
        {
            Warning(onExpiry.Location, $"'{what}.on-expiry' has no effect without 'expires-after'");
        }

        if (!valid || reviewers is null)
        {
            return null;
        }

        return new ApprovalDefinition
        {
            Reviewers = reviewers,
            Required = required ?? 1,
            PreventSelfReview = preventSelfReview,
            ExpiresAfter = expiresAfter,
            OnExpiry = onExpiry?.Value == "keep-waiting" ? ApprovalExpiryAction.KeepWaiting : ApprovalExpiryAction.Reject,
            Instructions = instructions,
            UnknownAuthors = (unknownAuthors?.Value ?? (preventSelfReview ? "block" : "allow")) == "block"
                ? UnknownAuthorsAction.Block
                : UnknownAuthorsAction.Allow,
        };
    }

    private List<ReviewerReference>? ReadReviewers(TemplateToken token, string what)
    {
        var items = ReadStringList(token, what);
        if (items is null)
        {
            return null;
        }

        if (items.Count == 0)
        {
            Error(token.Location, $"'{what}' lists nobody; name at least one user or team:NAME");
            return null;
        }

        var reviewers = new List<ReviewerReference>(items.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var valid = true;
        foreach (var item in items)
        {
            var reviewer = ReviewerReference.Parse(item.Value);
            if (reviewer.Name.Length == 0 || reviewer.Name.Length > MaxReviewerName || reviewer.Name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ','))
            {
                Error(item.Location, $"'{item.Value}' in '{what}' is not a user or team:NAME (a name of 1 to {MaxReviewerName} characters without spaces or commas)");
                valid = false;
                continue;
            }

            if (!seen.Add(reviewer.ToString()))
            {
                Warning(item.Location, $"'{item.Value}' is listed twice in '{what}'");
                continue;
            }

            reviewers.Add(reviewer);
        }

        return valid ? reviewers : null;
    }
}
