namespace Shipgate.Server.Ui;

/// <summary>The sign-in page: the sentence saying why the last attempt was refused, if it was.</summary>
public sealed record SignInForm(string? Error);
