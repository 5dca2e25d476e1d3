using System.Globalization;
using System.Xml.Linq;
using BpfSharp.Execution.Tracing;

namespace BpfSharp.Cli.Tracing;

/// <summary>Draws a <see cref="TraceDiagram"/> as SVG: lanes per depth, a rounded box per frame coloured by how it
/// began (entry, call, tail call, callback), its rows inside, a lightning marker where a tail call swaps one box for
/// the next, and arrows for calls and returns labelled with r0.</summary>
internal static class TraceSvg
{
    static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    /// <summary>Fill, header band and border colours per way a frame began.</summary>
    static (string Fill, string Band, string Stroke) Colours(FrameStart start) => start switch
    {
        FrameStart.Call => ("#f0fdf4", "#bbf7d0", "#16a34a"),
        FrameStart.TailCall => ("#fff7ed", "#fed7aa", "#ea580c"),
        FrameStart.Callback => ("#faf5ff", "#e9d5ff", "#9333ea"),
        _ => ("#eff6ff", "#bfdbfe", "#2563eb"),
    };

    public static XElement Draw(TraceDiagram diagram, string title, string subtitle)
    {
        // Wide enough for the title lines too (bold 17px and 12px sans: about 10 and 6.5 pixels a character).
        var width = Math.Max(diagram.Width, 2 * TraceDiagram.Margin + Math.Max(title.Length * 10, subtitle.Length * 6.5));
        var svg = new XElement(Svg + "svg",
            new XAttribute("width", N(width)), new XAttribute("height", N(diagram.Height)),
            new XAttribute("viewBox", $"0 0 {N(width)} {N(diagram.Height)}"),
            new XAttribute("font-family", "DejaVu Sans, Helvetica, Arial, sans-serif"),
            new XElement(Svg + "title", title),
            Definitions(),
            Rect(0, 0, width, diagram.Height, "#ffffff"),
            Text(TraceDiagram.Margin, 32, title, "title"),
            Text(TraceDiagram.Margin, 54, subtitle, "subtitle"));
        for (var d = 0; d < diagram.Lanes.Count; d++)
        {
            var (x, laneWidth, _) = diagram.Lanes[d];
            svg.Add(Rect(x - 8, 66, laneWidth + 16, diagram.Height - 66 - 8, "#f8fafc", rx: 8, @class: "lane"));
            svg.Add(Text(x + laneWidth / 2, 86, $"depth {d}", "lane-label", anchor: "middle"));
        }
        svg.Add(Text(TraceDiagram.Gutter - 12, 86, "step", "lane-label", anchor: "end"));
        foreach (var row in diagram.Rows.Where(r => r.Kind == DiagramRowKind.Header)) svg.Add(Box(diagram, row));
        foreach (var row in diagram.Rows.Where(r => r.Kind != DiagramRowKind.Header)) svg.Add(Row(diagram, row));
        foreach (var (lane, from, to) in diagram.Waits)
        {
            // The caller's frame stays, idle, until r0 comes back.
            var x = diagram.Lanes[lane].X + diagram.Lanes[lane].Width - 14;
            svg.Add(new XElement(Svg + "line", new XAttribute("class", "wait"), new XAttribute("x1", N(x)), new XAttribute("x2", N(x)),
                new XAttribute("y1", N(from + 10)), new XAttribute("y2", N(to - 10)), new XAttribute("stroke", "#94a3b8"),
                new XAttribute("stroke-width", 1.5), new XAttribute("stroke-dasharray", "2 4")));
            svg.Add(Text(x - 6, (from + to) / 2, "waits", "wait-label", anchor: "end"));
        }
        foreach (var arrow in diagram.Arrows) svg.Add(Arrow(diagram, arrow));
        return svg;
    }

    static XElement Definitions() => new(Svg + "defs",
        new XElement(Svg + "style", """
            .title { font-size: 17px; font-weight: bold; fill: #0f172a; }
            .subtitle { font-size: 12px; fill: #475569; }
            .lane-label { font-size: 11px; fill: #64748b; letter-spacing: 0.5px; }
            .name { font-size: 14px; font-weight: bold; fill: #0f172a; }
            .details { font-size: 10.5px; fill: #334155; }
            .code, .changes, .step, .source, .helper, .miss, .note, .exit, .tail, .arrow-label {
                font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 12px; }
            .code { fill: #0f172a; white-space: pre; }
            .changes { fill: #047857; }
            .step { fill: #94a3b8; font-size: 10px; }
            .source { fill: #64748b; font-style: italic; font-size: 11px; }
            .helper { fill: #0e7490; }
            .miss { fill: #dc2626; }
            .note { fill: #64748b; }
            .exit { fill: #15803d; font-weight: bold; }
            .tail { fill: #c2410c; font-weight: bold; }
            .arrow-label { font-size: 11px; fill: #334155; }
            .wait-label { font-size: 10.5px; fill: #94a3b8; font-style: italic; }
            """),
        Marker("call-head", "#475569"),
        Marker("return-head", "#15803d"));

    static XElement Marker(string id, string colour) => new(Svg + "marker",
        new XAttribute("id", id), new XAttribute("viewBox", "0 0 10 10"), new XAttribute("refX", 9), new XAttribute("refY", 5),
        new XAttribute("markerWidth", 7), new XAttribute("markerHeight", 7), new XAttribute("orient", "auto-start-reverse"),
        new XElement(Svg + "path", new XAttribute("d", "M 0 0 L 10 5 L 0 10 z"), new XAttribute("fill", colour)));

    /// <summary>The frame's box, its header band and title.</summary>
    static XElement Box(TraceDiagram diagram, DiagramRow header)
    {
        var (x, width, _) = diagram.Lanes[header.Frame.Depth];
        var (top, bottom) = diagram.Boxes[header.Frame.Id];
        var (fill, band, stroke) = Colours(header.Frame.Start);
        const double Radius = 7;
        var group = new XElement(Svg + "g", new XAttribute("class", $"frame frame-{header.Frame.Start.ToString().ToLowerInvariant()}"),
            new XAttribute("data-frame", header.Frame.Id),
            Rect(x, top, width, bottom - top + 2, fill, stroke, Radius),
            // The band: rounded at the top like the box, square where it meets the rows.
            new XElement(Svg + "path", new XAttribute("fill", band), new XAttribute("d",
                $"M {N(x + 0.75)} {N(top + header.Height)} V {N(top + Radius)} Q {N(x + 0.75)} {N(top + 0.75)} {N(x + Radius)} {N(top + 0.75)} " +
                $"H {N(x + width - Radius)} Q {N(x + width - 0.75)} {N(top + 0.75)} {N(x + width - 0.75)} {N(top + Radius)} V {N(top + header.Height)} Z")),
            new XElement(Svg + "line", new XAttribute("x1", N(x)), new XAttribute("x2", N(x + width)),
                new XAttribute("y1", N(top + header.Height)), new XAttribute("y2", N(top + header.Height)),
                new XAttribute("stroke", stroke), new XAttribute("stroke-opacity", "0.35")),
            Text(x + 12, top + 19, header.Text, "name"),
            Text(x + 12, top + 35, header.Detail, "details"));
        return group;
    }

    static XElement Row(TraceDiagram diagram, DiagramRow row)
    {
        var (x, width, detailX) = diagram.Lanes[row.Frame.Depth];
        var baseline = row.Y + row.Height / 2 + 4;
        var group = new XElement(Svg + "g", new XAttribute("class", $"row {row.Kind.ToString().ToLowerInvariant()}"));
        if (row.Kind == DiagramRowKind.TailCall)
        {
            // A zigzag across the lane (the frame above is gone, the one below runs in its place) under a label.
            var label = "⚡ " + row.Text;
            var pill = label.Length * TraceDiagram.CharWidth + 20;
            group.Add(Lightning(x, width, row.Middle));
            group.Add(Rect(x + (width - pill) / 2, row.Middle - 10, pill, 20, "#ffffff", "#ea580c", 10));
            group.Add(Text(x + width / 2, row.Middle + 4, label, "tail", anchor: "middle"));
            return group;
        }
        if (row.Kind == DiagramRowKind.Instruction)
        {
            group.Add(Text(TraceDiagram.Gutter - 12, baseline, $"#{row.Step}", "step", anchor: "end"));
            if (row.Detail.Length > 0) group.Add(Text(detailX, baseline, row.Detail, "changes"));
        }
        group.Add(Text(x + 14, baseline, row.Text, row.Kind switch
        {
            DiagramRowKind.Instruction => "code",
            DiagramRowKind.Source => "source",
            DiagramRowKind.Helper => "helper",
            DiagramRowKind.Miss => "miss",
            DiagramRowKind.Return => "exit",
            _ => "note",
        }));
        return group;
    }

    static XElement Lightning(double x, double width, double middle)
    {
        var points = new List<string>();
        for (double px = x, i = 0; px <= x + width; px += 10, i++) points.Add($"{N(px)},{N(middle + (i % 2 == 0 ? -4 : 4))}");
        return new XElement(Svg + "polyline", new XAttribute("points", string.Join(' ', points)), new XAttribute("fill", "none"),
            new XAttribute("stroke", "#ea580c"), new XAttribute("stroke-width", 2), new XAttribute("stroke-linejoin", "round"));
    }

    static XElement Arrow(TraceDiagram diagram, DiagramArrow arrow)
    {
        var (fromX, fromWidth, _) = diagram.Lanes[arrow.FromLane];
        if (arrow.IsReturn)
        {
            // From the returning box's left edge to the caller's right edge (or out to the host, left of lane 0).
            var toX = arrow.ToLane < 0 ? 18 : diagram.Lanes[arrow.ToLane].X + diagram.Lanes[arrow.ToLane].Width;
            var group = new XElement(Svg + "g", new XAttribute("class", "arrow return"), Line(fromX, arrow.FromY, toX, arrow.ToY, "#15803d", "return-head"));
            if (arrow.Label.Length > 0) group.Add(Text((fromX + toX) / 2, arrow.FromY - 5, arrow.Label, "arrow-label", anchor: "middle", halo: true));
            return group;
        }
        // From the calling row at the caller's right edge, across the gap, down into the new frame's header.
        var startX = fromX + fromWidth;
        var endX = diagram.Lanes[arrow.ToLane].X;
        var bend = startX + (endX - startX) / 2;
        return new XElement(Svg + "g", new XAttribute("class", "arrow call"),
            new XElement(Svg + "path", new XAttribute("d", $"M {N(startX)} {N(arrow.FromY)} H {N(bend)} V {N(arrow.ToY)} H {N(endX)}"),
                new XAttribute("fill", "none"), new XAttribute("stroke", "#475569"), new XAttribute("stroke-width", 1.5),
                new XAttribute("marker-end", "url(#call-head)")),
            Text(bend, arrow.FromY - 5, arrow.Label, "arrow-label", anchor: "middle", halo: true));
    }

    static XElement Line(double x1, double y1, double x2, double y2, string colour, string head) => new(Svg + "line",
        new XAttribute("x1", N(x1)), new XAttribute("y1", N(y1)), new XAttribute("x2", N(x2)), new XAttribute("y2", N(y2)),
        new XAttribute("stroke", colour), new XAttribute("stroke-width", 1.5), new XAttribute("marker-end", $"url(#{head})"));

    static XElement Rect(double x, double y, double width, double height, string fill, string? stroke = null, double rx = 0, string? @class = null)
    {
        var rect = new XElement(Svg + "rect", new XAttribute("x", N(x)), new XAttribute("y", N(y)),
            new XAttribute("width", N(width)), new XAttribute("height", N(height)), new XAttribute("fill", fill));
        if (rx > 0) rect.Add(new XAttribute("rx", N(rx)));
        if (stroke is not null) rect.Add(new XAttribute("stroke", stroke), new XAttribute("stroke-width", 1.5));
        if (@class is not null) rect.Add(new XAttribute("class", @class));
        return rect;
    }

    /// <summary>A text; with a halo (a white outline under the glyphs) it stays legible over lines.</summary>
    static XElement Text(double x, double y, string content, string @class, string anchor = "start", bool halo = false)
    {
        var text = new XElement(Svg + "text", new XAttribute("x", N(x)), new XAttribute("y", N(y)), new XAttribute("class", @class), content);
        if (anchor != "start") text.Add(new XAttribute("text-anchor", anchor));
        if (halo) text.Add(new XAttribute("paint-order", "stroke"), new XAttribute("stroke", "#ffffff"), new XAttribute("stroke-width", 4),
            new XAttribute("stroke-linejoin", "round"));
        text.Add(new XAttribute(XNamespace.Xml + "space", "preserve"));
        return text;
    }

    static string N(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);
}
