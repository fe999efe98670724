package io.meshgw.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class KafkaContainerBrokerTest {

    @Test
    void theBrokerListensOnTheAddressTheLabGaveItsNamespace() throws IOException {
        Properties p = new Properties();
        p.load(new StringReader(KafkaContainerBroker.serverProperties("10.255.1.6", "/tmp/meshgw-kafka-x")));
        assertThat(p)
                .containsEntry("listeners", "PLAINTEXT://10.255.1.6:9092,CONTROLLER://10.255.1.6:9093")
                .containsEntry("advertised.listeners", "PLAINTEXT://10.255.1.6:9092")
                .containsEntry("controller.quorum.voters", "1@10.255.1.6:9093")
                .containsEntry("log.dirs", "/tmp/meshgw-kafka-x/data")
                .containsEntry("auto.create.topics.enable", "false");
    }

    @Test
    void theLaunchDetachesAndRecordsTheBrokersPid() {
        assertThat(KafkaContainerBroker.launchScript("/tmp/k"))
                .isEqualTo("KAFKA_HEAP_OPTS='-Xms256m -Xmx768m' nohup /opt/kafka/bin/kafka-server-start.sh"
                        + " /tmp/k/server.properties >> /tmp/k/broker.log 2>&1 & echo $! > /tmp/k/broker.pid");
    }

    @Test
    void clientsBootstrapFromThatAddress() {
        assertThat(KafkaContainerBroker.IMAGE.getRepository()).isEqualTo("meshgw/lab-kafka");
        assertThat(KafkaContainerBroker.IMAGE.getVersionPart())
                .as("the release of the kafka-clients jar the build uses, which scripts/image.sh tags it with")
                .isEqualTo(org.apache.kafka.common.utils.AppInfoParser.getVersion());
    }
}
