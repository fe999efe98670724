package io.meshgw.bgp.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs every case of {@code src/test/resources/malformed}: one file per malformed message, with
 * the session options it arrives under and the handling the RFCs require.
 *
 * <p>Expectations: {@code reset C/S} (session reset with that NOTIFICATION), {@code withdraw C/S}
 * (treat-as-withdraw), {@code discard [C/S]} (attribute discarded, route kept), or {@code ok}
 * with an optional check: {@code unrelayed=T} (unknown attribute T dropped, not relayed, by the default
 * screen), {@code partial=T} (unknown attribute T passed on with the Partial
 * bit) or {@code aspath=A,B} (the reconstructed AS path).
 */
class MalformedCorpusTest {

    record Case(String name, CodecOptions options, String expect, byte[] message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(MalformedCorpusTest.class.getResource("/malformed").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files
                    .filter(p -> p.toString().endsWith(".case"))
                    .sorted()
                    .map(MalformedCorpusTest::read)
                    .toList()
                    .stream();
        }
    }

    /** {@code relay=23,28} in the options: the session relays those attribute types. */
    static AttributeScreen screen(String options) {
        Map<Integer, AttributeScreen.Action> actions = new HashMap<>();
        for (String word : options.split("\\s+")) {
            if (word.startsWith("relay=")) {
                Arrays.stream(word.substring(6).split(","))
                        .forEach(t -> actions.put(Integer.valueOf(t), AttributeScreen.Action.RELAY));
            }
        }
        return new AttributeScreen(actions);
    }

    static Case read(Path p) {
        try {
            List<String> lines = Files.readAllLines(p);
            String options = value(lines, "options:");
            String expect = value(lines, "expect:");
            int hexAt = lines.indexOf("hex:");
            String hex = String.join("", lines.subList(hexAt + 1, lines.size())).replaceAll("\\s", "");
            CodecOptions o = new CodecOptions(
                    options.contains("4octet"),
                    options.contains("extended"),
                    !options.contains("ibgp"),
                    screen(options));
            return new Case(
                    p.getFileName().toString(), o, expect, HexFormat.of().parseHex(hex));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String value(List<String> lines, String key) {
        return lines.stream()
                .filter(l -> l.startsWith(key))
                .findFirst()
                .orElseThrow()
                .substring(key.length())
                .strip();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachMalformedMessageGetsTheHandlingTheRfcNames(Case c) {
        DecodeResult r = MessageDecoder.decode(c.message(), c.options());
        String[] e = c.expect().split(" ");
        switch (e[0]) {
            case "reset" -> {
                assertThat(r).as("%s: %s", c.name(), r).isInstanceOf(DecodeResult.Failed.class);
                BgpError err = ((DecodeResult.Failed) r).error();
                assertThat(err.handling()).isEqualTo(BgpError.Handling.SESSION_RESET);
                assertThat(err.code() + "/" + err.subcode()).as(err.reason()).isEqualTo(e[1]);
                assertThat(err.reason()).doesNotContain("decoder failure");
            }
            case "withdraw", "discard" -> {
                assertThat(r).as("%s: %s", c.name(), r).isInstanceOf(DecodeResult.Ok.class);
                var ok = (DecodeResult.Ok) r;
                var wanted = e[0].equals("withdraw")
                        ? BgpError.Handling.TREAT_AS_WITHDRAW
                        : BgpError.Handling.ATTRIBUTE_DISCARD;
                assertThat(ok.repairs()).as(c.name()).anySatisfy(x -> {
                    assertThat(x.handling()).isEqualTo(wanted);
                    if (e.length > 1) {
                        assertThat(x.code() + "/" + x.subcode()).isEqualTo(e[1]);
                    }
                });
                assertThat(ok.treatAsWithdraw()).isEqualTo(e[0].equals("withdraw"));
            }
            case "ok" -> {
                assertThat(r).as("%s: %s", c.name(), r).isInstanceOf(DecodeResult.Ok.class);
                var ok = (DecodeResult.Ok) r;
                assertThat(ok.treatAsWithdraw()).isFalse();
                Update u = (Update) ok.message();
                if (e.length > 1 && e[1].startsWith("partial=")) {
                    int type = Integer.parseInt(e[1].substring(8));
                    assertThat(u.attributes()).anySatisfy(a -> {
                        assertThat(a).isInstanceOf(PathAttribute.Unknown.class);
                        assertThat(a.type()).isEqualTo(type);
                        assertThat(((PathAttribute.Unknown) a).flags() & PathAttribute.PARTIAL)
                                .isNotZero();
                    });
                }
                if (e.length > 1 && e[1].startsWith("unrelayed=")) {
                    int type = Integer.parseInt(e[1].substring(10));
                    assertThat(u.attributes()).noneMatch(a -> a.type() == type);
                    assertThat(ok.screened())
                            .containsExactly(new DecodeResult.Screened(type, AttributeScreen.Action.DISCARD));
                }
                if (e.length > 1 && e[1].startsWith("aspath=")) {
                    List<Long> want = Arrays.stream(e[1].substring(7).split(","))
                            .map(Long::valueOf)
                            .toList();
                    assertThat(u.attribute(PathAttribute.AsPath.class)
                                    .orElseThrow()
                                    .flatten())
                            .isEqualTo(want);
                    assertThat(u.attribute(PathAttribute.As4Path.class)).isEmpty();
                }
            }
            default -> throw new IllegalArgumentException("unknown expectation in " + c.name() + ": " + c.expect());
        }
    }
}
