package io.meshgw.gateway.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table in the style of {@code birdc show protocols}: upper-case headers, columns
 * two spaces apart, numbers right-aligned, no borders. A cell may hold several lines (one backend
 * per line, say); over-long cells are cut at the column's width with "...". The last column is
 * never padded, and lines carry no trailing blanks, so the output diffs and greps cleanly.
 */
final class Table {

    enum Align {
        LEFT,
        RIGHT
    }

    /** A column; {@code maxWidth} 0 means unbounded. */
    record Column(String header, Align align, int maxWidth) {
        static Column left(String header) {
            return new Column(header, Align.LEFT, 0);
        }

        static Column left(String header, int maxWidth) {
            return new Column(header, Align.LEFT, maxWidth);
        }

        static Column right(String header) {
            return new Column(header, Align.RIGHT, 0);
        }
    }

    private static final String GAP = "  ";
    private static final String CUT = "...";

    private final List<Column> columns;
    private final List<String[]> rows = new ArrayList<>();

    Table(Column... columns) {
        this.columns = List.of(columns);
    }

    Table row(String... cells) {
        if (cells.length != columns.size()) {
            throw new IllegalArgumentException(
                    "a row of " + cells.length + " cells for " + columns.size() + " columns");
        }
        rows.add(Arrays.stream(cells).map(HumanFormat::orNone).toArray(String[]::new));
        return this;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table, one line per element, without line terminators. */
    List<String> lines() {
        List<String[][]> cut = rows.stream().map(this::split).toList();
        int[] widths = new int[columns.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = columns.get(c).header().length();
            for (String[][] row : cut) {
                for (String line : row[c]) {
                    widths[c] = Math.max(widths[c], line.length());
                }
            }
        }
        List<String> out = new ArrayList<>();
        out.add(line(columns.stream().map(Column::header).toArray(String[]::new), widths));
        for (String[][] row : cut) {
            int height = Arrays.stream(row).mapToInt(cell -> cell.length).max().orElse(1);
            for (int l = 0; l < height; l++) {
                String[] physical = new String[row.length];
                for (int c = 0; c < row.length; c++) {
                    physical[c] = l < row[c].length ? row[c][l] : "";
                }
                out.add(line(physical, widths));
            }
        }
        return out;
    }

    private String[][] split(String[] cells) {
        String[][] out = new String[cells.length][];
        for (int c = 0; c < cells.length; c++) {
            int max = columns.get(c).maxWidth();
            out[c] = cells[c].lines()
                    .map(l -> max > 0 && l.length() > max ? l.substring(0, max - CUT.length()) + CUT : l)
                    .toArray(String[]::new);
            if (out[c].length == 0) {
                out[c] = new String[] {""};
            }
        }
        return out;
    }

    private String line(String[] cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                b.append(GAP);
            }
            boolean last = c == cells.length - 1;
            String pad = " ".repeat(widths[c] - cells[c].length());
            if (columns.get(c).align() == Align.RIGHT) {
                b.append(pad).append(cells[c]);
            } else {
                b.append(cells[c]);
                if (!last) {
                    b.append(pad);
                }
            }
        }
        return b.toString().stripTrailing();
    }
}
