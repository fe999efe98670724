package io.meshgw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanFormatTest {

    @ParameterizedTest
    @CsvSource({
        "PT0S, 0ms",
        "PT0.85S, 850ms",
        "PT42S, 42s",
        "PT90S, 1m30s",
        "PT1H, 1h",
        "PT4H12M59S, 4h12m",
        "P3DT4H5M, 3d4h",
        "P3DT0H5M, 3d",
        "P400D, 400d",
        "PT-5S, 0ms"
    })
    void durationsReadLikeRouterUptimes(String iso, String expected) {
        assertThat(HumanFormat.duration(Duration.parse(iso))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"0|0", "999|999", "1000|1,000", "1234567|1,234,567", "-42000|-42,000"})
    void countsHaveThousandsSeparatorsWhateverTheLocale(long n, String expected) {
        assertThat(HumanFormat.count(n)).isEqualTo(expected);
    }
}
