package io.meshgw.bench;

import io.meshgw.bgp.wire.CodecOptions;
import io.meshgw.bgp.wire.DecodeResult;
import io.meshgw.bgp.wire.MessageDecoder;
import io.meshgw.bgp.wire.MessageEncoder;
import io.meshgw.bgp.wire.SampleUpdates;
import io.meshgw.bgp.wire.Update;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * UPDATE decode and encode throughput on a full-size message (about 1,000 IPv4 /24s sharing one
 * attribute set, as a route server sends them), beside copying the same bytes (the floor).
 * Routes per second = operations per second x {@link #routesPerMessage()}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseCompactObjectHeaders")
public class UpdateCodecBench {

    private Update update;
    private byte[] wire;

    @Setup
    public void setUp() {
        update = SampleUpdates.fullUpdate();
        wire = MessageEncoder.encode(update, CodecOptions.MODERN);
    }

    public int routesPerMessage() {
        return update.nlri().size();
    }

    @Benchmark
    public DecodeResult decode() {
        return MessageDecoder.decode(wire, CodecOptions.MODERN);
    }

    @Benchmark
    public byte[] encode() {
        return MessageEncoder.encode(update, CodecOptions.MODERN);
    }

    @Benchmark
    public byte[] baselineCopy() {
        return Arrays.copyOf(wire, wire.length);
    }
}
