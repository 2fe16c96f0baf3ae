package org.baid4j.training.report;

import java.util.ArrayList;
import java.util.List;

/** The reports' Markdown tables as HTML, for a notebook cell or a page that shows them as tables. */
public final class Html {
    private Html() {
    }

    /**
     * A pipe table ({@code | a | b |}, a separator row, then rows), as the reports and
     * {@code Evaluation.table} write it, as an HTML table; headings and other lines around it
     * become headings and paragraphs.
     */
    public static String table(String markdown) {
        StringBuilder html = new StringBuilder();
        List<List<String>> rows = new ArrayList<>();
        for (String line : markdown.strip().split("\n")) {
            String t = line.strip();
            if (t.startsWith("|")) {
                if (!t.matches("\\|[\\s|:-]+\\|")) {   // not the |---|---| separator
                    rows.add(cells(t));
                }
            } else {
                flush(rows, html);
                if (t.startsWith("#")) {
                    html.append("<h4>").append(escape(t.replaceFirst("^#+\\s*", ""))).append("</h4>\n");
                } else if (!t.isEmpty()) {
                    html.append("<p>").append(escape(t)).append("</p>\n");
                }
            }
        }
        flush(rows, html);
        return html.toString();
    }

    private static List<String> cells(String row) {
        List<String> cells = new ArrayList<>();
        for (String c : row.substring(1, row.length() - (row.endsWith("|") ? 1 : 0)).split("\\|", -1)) {
            cells.add(c.strip());
        }
        return cells;
    }

    private static void flush(List<List<String>> rows, StringBuilder html) {
        if (rows.isEmpty()) {
            return;
        }
        html.append("<table>\n");
        for (int r = 0; r < rows.size(); r++) {
            String tag = r == 0 ? "th" : "td";
            html.append("<tr>");
            for (String c : rows.get(r)) {
                html.append('<').append(tag).append('>').append(escape(c)).append("</").append(tag).append('>');
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
        rows.clear();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("`", "");
    }
}
