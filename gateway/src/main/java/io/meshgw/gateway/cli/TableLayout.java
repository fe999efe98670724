package io.meshgw.gateway.cli;

import io.meshgw.gateway.cli.Table.Column;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The columns a command prints for rows of one API type, each with how a row fills it. A column
 * marked {@link #wideOnly} shows with {@code -o wide} only, the way kubectl's extra columns do.
 */
final class TableLayout<T> {

    private record Field<T>(Column column, Function<? super T, String> cell, boolean wideOnly) {}

    private final List<Field<T>> fields = new ArrayList<>();

    TableLayout<T> left(String header, Function<? super T, String> cell) {
        return add(Column.left(header), cell);
    }

    /** A left-aligned column whose cells are cut at {@code maxWidth}. */
    TableLayout<T> left(String header, int maxWidth, Function<? super T, String> cell) {
        return add(Column.left(header, maxWidth), cell);
    }

    /** A right-aligned column, for numbers and durations. */
    TableLayout<T> right(String header, Function<? super T, String> cell) {
        return add(Column.right(header), cell);
    }

    /** The column added last shows with {@code -o wide} only. */
    TableLayout<T> wideOnly() {
        Field<T> last = fields.removeLast();
        fields.add(new Field<>(last.column(), last.cell(), true));
        return this;
    }

    /** The rows in the order given, with the wide columns when {@code wide}. */
    Table table(List<? extends T> rows, boolean wide) {
        List<Field<T>> shown =
                fields.stream().filter(f -> wide || !f.wideOnly()).toList();
        Table t = new Table(shown.stream().map(Field::column).toArray(Column[]::new));
        for (T row : rows) {
            t.row(shown.stream().map(f -> f.cell().apply(row)).toArray(String[]::new));
        }
        return t;
    }

    private TableLayout<T> add(Column column, Function<? super T, String> cell) {
        fields.add(new Field<>(column, cell, false));
        return this;
    }
}
