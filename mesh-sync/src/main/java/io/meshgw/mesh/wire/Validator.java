package io.meshgw.mesh.wire;

import io.meshgw.mesh.kafka.RawRecord;
import io.meshgw.mesh.state.ParsedKey;
import io.meshgw.mesh.state.StateKey;
import io.meshgw.mesh.state.StateValue;

/**
 * Decides whether a record read from a state topic may be applied. A record is accepted only
 * when everything it says about itself agrees: the topic's cluster, the header cluster and the
 * value's owning cluster are one and the same (a cluster can only speak for itself); the format
 * version is one this build reads; the key parses; the value decodes and is the value of exactly
 * that key; the epoch is one its offset allows ({@link RecordHeaders#epochPossibleAt}). Any disagreement means a bug, a misconfiguration or a forgery, so the record is
 * rejected whole rather than partly applied.
 */
public final class Validator {

    private final StateTopics topics;

    public Validator(StateTopics topics) {
        this.topics = topics;
    }

    /** Never throws, whatever the record holds. */
    public Verdict validate(RawRecord r) {
        int topicCluster = topics.clusterOf(r.topic());
        if (topicCluster == 0) {
            return reject("topic is not a state topic named " + topics.prefix() + "<1..4095>");
        }
        RecordHeaders headers;
        switch (RecordHeaders.parse(r.headers())) {
            case Decoded.Ok<RecordHeaders> ok -> headers = ok.value();
            case Decoded.Failed<RecordHeaders> f -> {
                return reject(f.reason());
            }
        }
        if (!headers.epochPossibleAt(r.offset())) {
            return reject("epoch " + headers.epoch() + " at offset " + r.offset()
                    + " is impossible: a publisher's epoch is at most its record's offset + 1");
        }
        if (headers.cluster() != topicCluster) {
            return reject("header cluster " + headers.cluster() + " differs from the topic's cluster " + topicCluster);
        }
        StateKey key;
        switch (StateKey.parse(r.key())) {
            case ParsedKey.Valid v -> key = v.key();
            case ParsedKey.Invalid i -> {
                return reject(i.reason());
            }
        }
        if (r.tombstone()) {
            return key.deletable()
                    ? new Verdict.Accepted(new ValidRecord(r.topic(), r.offset(), headers, key, null))
                    : reject("tombstone for " + key.format() + ", which is never deleted");
        }
        WireValue wire;
        switch (ValueCodec.decode(r.value())) {
            case Decoded.Ok<WireValue> ok -> wire = ok.value();
            case Decoded.Failed<WireValue> f -> {
                return reject("value does not decode: " + f.reason());
            }
        }
        if (wire.version() != headers.version()) {
            return reject(
                    "value format version " + wire.version() + " differs from header version " + headers.version());
        }
        if (wire.cluster() != headers.cluster()) {
            return reject("value is owned by cluster " + wire.cluster() + " but the headers say cluster "
                    + headers.cluster());
        }
        StateValue value = wire.value();
        if (!value.key().equals(key)) {
            return reject("value belongs under key " + value.key().format() + ", not " + r.key());
        }
        return new Verdict.Accepted(new ValidRecord(r.topic(), r.offset(), headers, key, value));
    }

    private static Verdict reject(String reason) {
        return new Verdict.Rejected(reason);
    }
}
