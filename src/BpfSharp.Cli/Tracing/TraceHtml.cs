using System.Xml.Linq;

namespace BpfSharp.Cli.Tracing;

/// <summary>A page with the diagram and, below it, the trace as the terminal shows it (plain).</summary>
internal static class TraceHtml
{
    public static string Page(string title, XElement svg, string plainTrace)
    {
        var page = new XElement("html", new XAttribute("lang", "en"),
            new XElement("head",
                new XElement("meta", new XAttribute("charset", "utf-8")),
                new XElement("title", title),
                new XElement("style", """
                    body { font-family: 'DejaVu Sans', Helvetica, Arial, sans-serif; margin: 24px; color: #0f172a; }
                    h2 { font-size: 16px; margin-top: 28px; }
                    .diagram { overflow-x: auto; }
                    pre { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 12px; background: #f8fafc;
                          padding: 12px 16px; border-radius: 8px; overflow-x: auto; }
                    """)),
            new XElement("body",
                new XElement("div", new XAttribute("class", "diagram"), svg),
                new XElement("h2", "Step by step"),
                new XElement("pre", plainTrace)));
        return "<!DOCTYPE html>\n" + page;
    }
}
