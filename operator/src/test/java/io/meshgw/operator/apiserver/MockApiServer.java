package io.meshgw.operator.apiserver;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives each test a fresh fabric8 mock API server in CRUD mode that enforces what a real API server enforces on
 * writes ({@link StrictCrudDispatcher}), with expectations ({@code server.expect()}) answered first. The test class's
 * fields of type {@code KubernetesClient} and {@code KubernetesMockServer} are set before each test; both are closed
 * after it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(MockApiServerExtension.class)
public @interface MockApiServer {}
