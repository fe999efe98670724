package io.meshgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Alignment checks on a printed table: where a header starts or ends, its cells do too. */
final class Columns {

    private Columns() {}

    /** The row whose first cell is {@code key}. */
    static String row(List<String> lines, String key) {
        return lines.stream()
                .filter(l -> l.startsWith(key + " "))
                .findFirst()
                .orElseThrow(
                        () -> new AssertionError("no row starting with " + key + " in\n" + String.join("\n", lines)));
    }

    /** A left-aligned cell starts where its header starts. */
    static void leftAligned(String header, String headerName, String row, String cell) {
        assertThat(start(row, cell))
                .as("%s starts under %s in%n%s%n%s", cell, headerName, header, row)
                .isEqualTo(header.indexOf(headerName));
    }

    /** A right-aligned cell ends where its header ends. */
    static void rightAligned(String header, String headerName, String row, String cell) {
        assertThat(start(row, cell) + cell.length())
                .as("%s ends under %s in%n%s%n%s", cell, headerName, header, row)
                .isEqualTo(header.indexOf(headerName) + headerName.length());
    }

    /** Where the cell starts, as a whole blank-separated word (or words) of the row. */
    private static int start(String row, String cell) {
        int at = (" " + row + " ").indexOf(" " + cell + " ");
        assertThat(at).as("%s is a cell of%n%s", cell, row).isNotNegative();
        return at;
    }
}
