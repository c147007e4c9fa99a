using Microsoft.AspNetCore.Antiforgery;

namespace Shipgate.Server.Ui;

/// <summary>
/// What the layout shows around every page: the title, the signed-in user and role (null on the sign-in page), the
/// anti-forgery token every form posts, the projects for the navigation, and which page is current.
/// </summary>
public sealed record UiFrame(string Title, string? User, string? Role, AntiforgeryTokenSet Forgery, IReadOnlyList<string> Projects, string Current);
