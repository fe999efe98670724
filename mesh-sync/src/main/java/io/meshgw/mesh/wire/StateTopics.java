package io.meshgw.mesh.wire;

import io.meshgw.types.ClusterId;
import java.util.regex.Pattern;

/**
 * How state topics are named: {@code <prefix><cluster id>}, e.g. {@code meshgw.state.7}. The
 * topic name is one of the three places a record's cluster is stated (with the headers and the
 * value), and all three must agree.
 */
public record StateTopics(String prefix) {

    public static final StateTopics DEFAULT = new StateTopics("meshgw.state.");

    public StateTopics {
        if (prefix == null || prefix.isEmpty() || !prefix.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "topic prefix '" + prefix + "' must be letters, digits, '.', '_' or '-'");
        }
    }

    public String topicOf(int cluster) {
        if (!ClusterId.valid(cluster)) {
            throw new IllegalArgumentException("cluster " + cluster + " is outside 1..4095");
        }
        return prefix + cluster;
    }

    public String topicOf(ClusterId cluster) {
        return topicOf(cluster.id());
    }

    /**
     * The transactional id a cluster's publisher writes its topic under: the topic's name. The ACLs grant it, and
     * readers find the cluster's transaction coordinator from it.
     */
    public String transactionalIdOf(int cluster) {
        return topicOf(cluster);
    }

    /** The cluster a topic belongs to, or 0 when the name is not a state topic of this prefix. */
    public int clusterOf(String topic) {
        if (topic == null || !topic.startsWith(prefix)) {
            return 0;
        }
        String digits = topic.substring(prefix.length());
        if (digits.isEmpty() || digits.length() > 4 || digits.charAt(0) == '0') {
            return 0;
        }
        int id = 0;
        for (int i = 0; i < digits.length(); i++) {
            char c = digits.charAt(i);
            if (c < '0' || c > '9') {
                return 0;
            }
            id = id * 10 + (c - '0');
        }
        return ClusterId.valid(id) ? id : 0;
    }

    /** Matches every state topic of this prefix, for the reader's subscription. */
    public Pattern pattern() {
        return Pattern.compile(Pattern.quote(prefix) + "[1-9][0-9]{0,3}");
    }

    /** Every state topic but {@code cluster}'s own (0: none left out), so a gateway skips its own. */
    public Pattern patternExcluding(int cluster) {
        if (cluster == 0) {
            return pattern();
        }
        return Pattern.compile(Pattern.quote(prefix) + "(?!" + cluster + "$)[1-9][0-9]{0,3}");
    }
}
