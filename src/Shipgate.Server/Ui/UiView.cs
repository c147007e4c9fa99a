namespace Shipgate.Server.Ui;

/// <summary>A page's model: the layout's <see cref="UiFrame"/> and the page's own content.</summary>
public sealed record UiView<T>(UiFrame Frame, T Content);
