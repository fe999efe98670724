package io.meshgw.gateway.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A list endpoint of the admin API as a command prints it: where it is, the API type of its
 * elements, the table's columns, what to say when there is nothing, and which elements to show
 * in which order. The selection applies to {@code -o json} too, which prints the chosen elements
 * as the gateway sent them.
 *
 * @param path the endpoint without a query, as error messages name it
 * @param select indices of the elements to show, in the order to show them
 */
record Listing<T>(
        String path, Class<T> type, TableLayout<T> layout, String whenEmpty, Function<List<T>, List<Integer>> select) {

    /** Every element, in the gateway's order. */
    static <T> Listing<T> of(String path, Class<T> type, String whenEmpty, TableLayout<T> layout) {
        return new Listing<>(
                path,
                type,
                layout,
                whenEmpty,
                rows -> IntStream.range(0, rows.size()).boxed().toList());
    }

    /** Every element, in this order. */
    Listing<T> sortedBy(Comparator<? super T> order) {
        return selecting(rows -> IntStream.range(0, rows.size())
                .boxed()
                .sorted(Comparator.comparing(rows::get, order))
                .toList());
    }

    /** The elements {@code selection} picks, in its order. */
    Listing<T> selecting(Function<List<T>, List<Integer>> selection) {
        return new Listing<>(path, type, layout, whenEmpty, selection);
    }

    /** A list as the gateway sent it, and the same list read as the API type. */
    record Fetched<T>(JsonNode json, List<T> rows) {}
}
