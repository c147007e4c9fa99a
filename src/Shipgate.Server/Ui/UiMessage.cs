namespace Shipgate.Server.Ui;

/// <summary>A page with one sentence: why an action was refused or what it did, and where to go back to.</summary>
public sealed record UiMessage(string Heading, string Sentence, string BackPath);
