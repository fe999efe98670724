package io.meshgw.mesh.kafka;

import io.meshgw.mesh.wire.StateTopics;
import io.meshgw.types.ClusterId;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The ACLs one cluster's Kafka principal needs, and no more: it writes only its own state topic (under its own
 * transactional id), reads every state topic, and describes Kafka's transaction log (to find the other clusters'
 * transaction coordinators, see {@link TopicProbe}). With these, a record in a cluster's topic was written by that
 * cluster's principal, which is what makes the header and value checks of the {@code Validator} mean something.
 * {@code docs/install.md} gives the same set as {@code kafka-acls} commands.
 */
public final class StateTopicAcls {

    private StateTopicAcls() {}

    /**
     * @param principal the cluster's principal as the broker sees it, e.g. {@code User:meshgw-west}
     */
    public static List<AclBinding> forCluster(StateTopics topics, ClusterId cluster, String principal) {
        String own = topics.topicOf(cluster);
        List<AclBinding> acls = new ArrayList<>();
        // Publish: create and check its topic (StateTopic.ensure), write it in transactions, read it back on start.
        for (AclOperation op : List.of(
                AclOperation.CREATE,
                AclOperation.WRITE,
                AclOperation.READ,
                AclOperation.DESCRIBE,
                AclOperation.DESCRIBE_CONFIGS)) {
            acls.add(allow(principal, ResourceType.TOPIC, own, PatternType.LITERAL, op));
        }
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(allow(
                    principal,
                    ResourceType.TRANSACTIONAL_ID,
                    topics.transactionalIdOf(cluster.id()),
                    PatternType.LITERAL,
                    op));
        }
        // Read every cluster's topic. No group: readers assign partitions and commit no offsets.
        for (AclOperation op : List.of(AclOperation.READ, AclOperation.DESCRIBE)) {
            acls.add(allow(principal, ResourceType.TOPIC, topics.prefix(), PatternType.PREFIXED, op));
        }
        // Find and ask the other clusters' transaction coordinators (TopicProbe): the transaction log's partition
        // count and leaders, and its end offsets. Not its records, nor anyone's transactional ids.
        acls.add(allow(
                principal, ResourceType.TOPIC, TopicProbe.TRANSACTION_LOG, PatternType.LITERAL, AclOperation.DESCRIBE));
        return List.copyOf(acls);
    }

    private static AclBinding allow(
            String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }
}
