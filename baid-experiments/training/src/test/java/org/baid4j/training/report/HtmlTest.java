package org.baid4j.training.report;

import org.baid4j.core.metrics.AestheticsMetrics;
import org.baid4j.training.saan.Evaluation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The reports' Markdown tables as HTML, as the notebooks show them. */
class HtmlTest {

    @Test
    void anEvaluationTableBecomesAnHtmlTableCellForCell() {
        double[] truth = {2, 4, 6, 8, 3, 7};
        double[] predicted = {2.5, 3.5, 6.5, 7.0, 3.0, 6.0};
        String md = Evaluation.table("SAAN <test>", AestheticsMetrics.evaluate(truth, predicted, 50, 1));
        String html = Html.table("## Result\n\n" + md + "\nSRCC 95% interval.");
        String[] mdRows = md.strip().split("\n");
        assertTrue(html.startsWith("<h4>Result</h4>\n<table>\n"), html);
        assertEquals(mdRows.length - 1, html.split("<tr>", -1).length - 1, "every row but the separator");
        assertEquals(mdRows[0].split("\\|").length - 1, html.split("<th>", -1).length - 1, "one header cell per column");
        assertTrue(html.contains("<td>SAAN &lt;test&gt;</td>"), "cells are escaped: " + html);
        assertTrue(html.endsWith("</table>\n<p>SRCC 95% interval.</p>\n"), html);
    }
}
