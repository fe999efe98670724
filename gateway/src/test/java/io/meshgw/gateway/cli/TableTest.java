package io.meshgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.meshgw.gateway.cli.Table.Column;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void textLeftNumbersRightTwoSpacesApart() {
        Table t = new Table(Column.left("NAME"), Column.right("RCVD"), Column.left("STATE"))
                .row("dc1", "912,345", "ESTABLISHED")
                .row("lab-router", "1", "IDLE");

        assertThat(t.lines())
                .containsExactly(
                        "NAME           RCVD  STATE", "dc1         912,345  ESTABLISHED", "lab-router        1  IDLE");
    }

    @Test
    void nullAndBlankCellsReadAsADash() {
        Table t = new Table(Column.left("A"), Column.left("B"), Column.left("C")).row(null, " ", "x");

        assertThat(t.lines()).containsExactly("A  B  C", "-  -  x");
    }

    @Test
    void aMultiLineCellMakesOnePhysicalLinePerLineWithTheOtherCellsBlank() {
        Table t = new Table(Column.left("VIP"), Column.left("BACKENDS"), Column.right("N"))
                .row("198.51.100.10:80", "10.1.0.10:8080 (local)\n10.2.0.5:8080 (cluster 2)", "2");

        assertThat(t.lines())
                .containsExactly(
                        "VIP               BACKENDS                   N",
                        "198.51.100.10:80  10.1.0.10:8080 (local)     2",
                        "                  10.2.0.5:8080 (cluster 2)");
    }

    @Test
    void overlongCellsAreCutAtTheColumnsWidth() {
        Table t = new Table(Column.left("NAME", 10), Column.left("LAST ERROR", 12))
                .row("a-very-long-peer-name", "hold timer expired after 90s");

        assertThat(t.lines()).containsExactly("NAME        LAST ERROR", "a-very-...  hold time...");
    }

    @Test
    void noLineEndsInBlanks() {
        Table t = new Table(Column.left("A"), Column.left("B")).row("long value", "");

        assertThat(t.lines()).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    }

    @Test
    void aRowMustFitTheColumns() {
        Table t = new Table(Column.left("A"), Column.left("B"));

        assertThat(t.isEmpty()).isTrue();
        assertThatThrownBy(() -> t.row("only one")).isInstanceOf(IllegalArgumentException.class);
    }
}
