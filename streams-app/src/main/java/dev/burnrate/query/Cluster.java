package dev.burnrate.query;

import dev.burnrate.core.StoreNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** Who owns what: the instances of the application and the owner of a service, from Kafka Streams' metadata. */
public interface Cluster {
    /** The instance whose active task holds the service, or empty while that is not known (rebalance). */
    Optional<HostInfo> ownerOf(String service);

    /** Every instance holding windows stores (application.server of each). */
    List<HostInfo> instances();

    HostInfo self();

    /** Whether the application is RUNNING (not rebalancing, not restoring). */
    boolean stable();

    /** The live cluster of a KafkaStreams instance. */
    static Cluster of(KafkaStreams streams, HostInfo self) {
        return new Cluster() {
            @Override
            public Optional<HostInfo> ownerOf(String service) {
                KeyQueryMetadata m = streams.queryMetadataForKey(StoreNames.BUCKETS, service, Serdes.String().serializer());
                if (m == null || m.equals(KeyQueryMetadata.NOT_AVAILABLE)) return Optional.empty();
                return Optional.of(m.activeHost());
            }

            @Override
            public List<HostInfo> instances() {
                List<HostInfo> out = new ArrayList<>();
                for (StreamsMetadata m : streams.streamsMetadataForStore(StoreNames.BUCKETS)) out.add(m.hostInfo());
                return out;
            }

            @Override
            public HostInfo self() {
                return self;
            }

            @Override
            public boolean stable() {
                return streams.state() == KafkaStreams.State.RUNNING;
            }
        };
    }
}
