package io.meshgw.operator.apiserver;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.lang.reflect.Field;
import java.net.InetAddress;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The extension behind {@link MockApiServer}. */
public final class MockApiServerExtension implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MockApiServerExtension.class);

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        var server = StrictMockServer.start(InetAddress.getLoopbackAddress());
        var client = server.createClient();
        context.getStore(NAMESPACE).put("server", server);
        context.getStore(NAMESPACE).put("client", client);
        Object test = context.getRequiredTestInstance();
        for (Class<?> c = test.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getType() == KubernetesClient.class) set(field, test, client);
                if (field.getType() == KubernetesMockServer.class) set(field, test, server);
            }
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        var client = context.getStore(NAMESPACE).remove("client", KubernetesClient.class);
        var server = context.getStore(NAMESPACE).remove("server", KubernetesMockServer.class);
        if (client != null) client.close();
        if (server != null) server.destroy();
    }

    private static void set(Field field, Object test, Object value) throws IllegalAccessException {
        field.setAccessible(true);
        field.set(test, value);
    }
}
