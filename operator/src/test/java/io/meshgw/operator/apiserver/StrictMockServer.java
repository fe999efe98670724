package io.meshgw.operator.apiserver;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode whose writes are checked as an API server checks them
 * ({@link StrictCrudDispatcher}); a request the test set an expectation for ({@code server.expect()}) gets that answer
 * first. The operator's tests and the lab's API server both run on it.
 */
public final class StrictMockServer {
    private StrictMockServer() {}

    /** A started server on {@code host}, at a free port. */
    public static KubernetesMockServer start(InetAddress host) {
        Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
        var server =
                new KubernetesMockServer(new Context(), new MockWebServer(), responses, new Expected(responses), false);
        server.init(host, 0);
        return server;
    }

    private static final class Expected extends Dispatcher {
        private final Map<ServerRequest, Queue<ServerResponse>> responses;
        private final MockDispatcher expected;
        private final StrictCrudDispatcher store = new StrictCrudDispatcher();

        Expected(Map<ServerRequest, Queue<ServerResponse>> responses) {
            this.responses = responses;
            this.expected = new MockDispatcher(responses);
        }

        @Override
        public MockResponse dispatch(RecordedRequest request) {
            var queue = responses.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()), request.getPath()));
            return queue != null && !queue.isEmpty() ? expected.dispatch(request) : store.dispatch(request);
        }
    }
}
