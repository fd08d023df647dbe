package nnlab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import nnlab.experiment.AtomicFiles;

/**
 * A report built once and written twice: {@code report.md} (images referenced by relative path) and
 * {@code report.html} (self-contained: images inlined as data URIs, no script, no network).
 */
public final class Report {
    /** A chart in the report. */
    public record Figure(String caption, Path png) {}

    private sealed interface Block permits Heading, Paragraph, Table, FigureBlock, Code {}

    /** Text shown as it is, in a fixed-width font: a command's output. */
    private record Code(String text) implements Block {}

    private record Heading(String text) implements Block {}

    private record Paragraph(String text) implements Block {}

    private record Table(List<String> header, List<List<String>> rows) implements Block {}

    private record FigureBlock(Figure figure) implements Block {}

    private final String title;
    private final List<Block> blocks = new ArrayList<>();

    public Report(String title) {
        this.title = title;
    }

    public Report section(String heading) {
        blocks.add(new Heading(heading));
        return this;
    }

    public Report paragraph(String text) {
        blocks.add(new Paragraph(text));
        return this;
    }

    public Report table(List<String> header, List<List<String>> rows) {
        if (!rows.isEmpty()) blocks.add(new Table(List.copyOf(header), List.copyOf(rows)));
        return this;
    }

    /** Lines shown as they are (a command's printed output). */
    public Report code(String text) {
        blocks.add(new Code(text.strip()));
        return this;
    }

    public Report figure(Figure figure) {
        blocks.add(new FigureBlock(figure));
        return this;
    }

    /** Writes report.md and report.html into {@code dir}. */
    public void write(Path dir) {
        AtomicFiles.writeString(dir.resolve("report.md"), markdown(dir));
        AtomicFiles.writeString(dir.resolve("report.html"), html());
    }

    String markdown(Path dir) {
        StringBuilder sb = new StringBuilder("# ").append(title).append("\n\n");
        for (Block b : blocks) {
            switch (b) {
                case Heading h -> sb.append("## ").append(h.text()).append("\n\n");
                case Paragraph p -> sb.append(p.text()).append("\n\n");
                case Table t -> {
                    sb.append("| ").append(String.join(" | ", t.header())).append(" |\n|");
                    sb.append(" --- |".repeat(t.header().size())).append('\n');
                    for (List<String> row : t.rows()) sb.append("| ").append(String.join(" | ", row)).append(" |\n");
                    sb.append('\n');
                }
                case Code c -> sb.append("```\n").append(c.text()).append("\n```\n\n");
                case FigureBlock f -> sb.append("![").append(f.figure().caption()).append("](")
                        .append(dir.toAbsolutePath().relativize(f.figure().png().toAbsolutePath())).append(")\n\n");
            }
        }
        return sb.toString();
    }

    String html() {
        StringBuilder sb = new StringBuilder("""
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>%s</title>
                <style>
                body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
                table{border-collapse:collapse;margin:1em 0;font-size:14px}
                td,th{border:1px solid #ccc;padding:3px 8px;text-align:left;vertical-align:top}
                th{background:#f3f3f3} td.n{text-align:right;font-variant-numeric:tabular-nums}
                figure{margin:1em 0} img{max-width:100%%;border:1px solid #eee}
                figcaption{color:#555;font-size:14px}
                pre{background:#f6f6f6;padding:8px;font-size:12px;white-space:pre-wrap;overflow-wrap:anywhere}
                </style></head><body>
                <h1>%s</h1>
                """.formatted(escape(title), escape(title)));
        for (Block b : blocks) {
            switch (b) {
                case Heading h -> sb.append("<h2 id=\"").append(anchor(h.text())).append("\">").append(escape(h.text())).append("</h2>\n");
                case Paragraph p -> sb.append("<p>").append(inlineCode(escape(p.text()))).append("</p>\n");
                case Table t -> {
                    sb.append("<table><tr>");
                    t.header().forEach(c -> sb.append("<th>").append(escape(c)).append("</th>"));
                    sb.append("</tr>\n");
                    for (List<String> row : t.rows()) {
                        sb.append("<tr>");
                        row.forEach(c -> sb.append(c.matches("-?[0-9.]+(e-?[0-9]+)?") ? "<td class=\"n\">" : "<td>")
                                .append(escape(c)).append("</td>"));
                        sb.append("</tr>\n");
                    }
                    sb.append("</table>\n");
                }
                case Code c -> sb.append("<pre>").append(escape(c.text())).append("</pre>\n");
                case FigureBlock f -> sb.append("<figure><img alt=\"").append(escape(f.figure().caption()))
                        .append("\" src=\"data:image/png;base64,").append(base64(f.figure().png()))
                        .append("\"><figcaption>").append(escape(f.figure().caption())).append("</figcaption></figure>\n");
            }
        }
        return sb.append("</body></html>\n").toString();
    }

    private static String base64(Path png) {
        try {
            return Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read chart " + png + ": " + e.getMessage(), e);
        }
    }

    /** A heading's first word as a fragment id, so a section can be linked to: "Q2.2(a) Linear …" is #q2-2-a. */
    static String anchor(String heading) {
        String first = heading.split(" ", 2)[0].toLowerCase(java.util.Locale.ROOT);
        return first.replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    /** `text` in a paragraph (markdown's code span, as report.md has it) in a fixed-width font. */
    private static String inlineCode(String html) {
        return html.replaceAll("`([^`]+)`", "<code>$1</code>");
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Numbers with 4 decimals (integers as they are), nulls and NaN as "–". */
    static String format(Object v) {
        if (v == null) return "–";
        if (v instanceof Double d) {
            if (!Double.isFinite(d)) return "–";
            if (d == Math.rint(d) && Math.abs(d) < 1e9) return Long.toString((long) (double) d);
            return Math.abs(d) >= 1e-3 ? String.format("%.4f", d) : String.format("%.3g", d);
        }
        return String.valueOf(v);
    }
}
