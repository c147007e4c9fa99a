using System.Collections.Concurrent;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Shipgate.EndToEnd.Tests.Infrastructure;

namespace Shipgate.Web.Tests.Infrastructure;

/// <summary>A browser page of the UI with what it did on its own: dialogs opened (script that ran) and console messages.</summary>
public sealed class UiPage : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _dialogs = new();
    private readonly ConcurrentQueue<string> _console = new();

    internal UiPage(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            _dialogs.Enqueue(dialog.Message);
            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) => _console.Enqueue($"{message.Type}: {message.Text}");
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>The messages of every alert, confirm or prompt the page opened.</summary>
    public IReadOnlyList<string> Dialogs => [.. _dialogs];

    public IReadOnlyList<string> ConsoleMessages => [.. _console];

    /// <summary>Opens <paramref name="path"/> and waits for it to load; the response.</summary>
    public async Task<IResponse> GoAsync(string path) => (await Page.GotoAsync(path).WaitAsync(Default))!;

    /// <summary>
    /// Saves a full-page screenshot as <c>.test-results/screenshots/NAME.png</c> in the source tree, and checks the page
    /// with axe: no serious or critical violation.
    /// </summary>
    public async Task CheckAsync(string name)
    {
        var folder = Path.Combine(SourceTree.Root, ".test-results", "screenshots");
        Directory.CreateDirectory(folder);
        await Page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true }).WaitAsync(Default);
        var result = await Page.RunAxe().WaitAsync(Default);
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"axe found on {name}:\n" + string.Join("\n", serious.Select(v =>
            $"{v.Impact} {v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
