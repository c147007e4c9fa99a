namespace Shipgate.Server.Git;

/// <summary>Who wrote (author) and who committed (committer) a commit, as git records them.</summary>
internal sealed record CommitPeople(string Sha, string AuthorName, string AuthorEmail, string CommitterName, string CommitterEmail);
