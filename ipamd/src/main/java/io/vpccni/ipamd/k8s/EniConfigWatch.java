package io.vpccni.ipamd.k8s;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The cluster's ENIConfigs through an informer on the custom resource, read as generic objects: the daemon needs
 * two fields of a CRD it does not own, which is no reason for generated classes. ENIConfigs are few and
 * cluster-scoped, so every node watching all of them costs the API server little.
 */
final class EniConfigWatch implements EniConfigs, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EniConfigWatch.class);

    static final ResourceDefinitionContext ENI_CONFIG = new ResourceDefinitionContext.Builder()
            .withGroup("crd.k8s.amazonaws.com").withVersion("v1alpha1").withKind("ENIConfig").withPlural("eniconfigs")
            .withNamespaced(false).build();

    private final SharedIndexInformer<GenericKubernetesResource> informer;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    /** Starts the watch in the background: returns at once even when the API server does not answer. */
    static EniConfigWatch start(KubernetesClient client, ApiServerHealth health) {
        var informer = client.genericKubernetesResources(ENI_CONFIG).runnableInformer(0);
        var watch = new EniConfigWatch(informer);
        informer.exceptionHandler(health.watching("ENIConfigs", informer));
        informer.addEventHandler(watch.handler());
        informer.start();
        return watch;
    }

    private EniConfigWatch(SharedIndexInformer<GenericKubernetesResource> informer) {
        this.informer = informer;
    }

    @Override
    public boolean synced() {
        return informer.hasSynced();
    }

    @Override
    public Optional<EniConfig> get(String name) {
        // A cluster-scoped object's key in the informer's store is its bare name.
        return Optional.ofNullable(informer.getStore().getByKey(name)).map(EniConfigWatch::eniConfig);
    }

    @Override
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    private ResourceEventHandler<GenericKubernetesResource> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(GenericKubernetesResource object) {
                changed("added", object);
            }

            @Override
            public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                if (!eniConfig(before).equals(eniConfig(after))) {
                    changed("changed", after);
                }
            }

            @Override
            public void onDelete(GenericKubernetesResource object, boolean finalStateUnknown) {
                changed("deleted", object);
            }
        };
    }

    private void changed(String how, GenericKubernetesResource object) {
        var config = eniConfig(object);
        log.info("ENIConfig {} {}: subnet '{}', security groups {}", config.name(), how, config.subnet(),
                config.securityGroups());
        for (var listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                log.error("a listener of ENIConfig {} failed; the others still run", config.name(), e);
            }
        }
    }

    /** {@code spec.subnet} and {@code spec.securityGroups}; anything else in the object is ignored. */
    static EniConfig eniConfig(GenericKubernetesResource object) {
        var name = object.getMetadata().getName();
        Object subnet = object.get("spec", "subnet");
        Object groups = object.get("spec", "securityGroups");
        if (subnet != null && !(subnet instanceof String)) {
            log.warn("ENIConfig {}: spec.subnet is not a string ({}); treating the ENIConfig as having no subnet", name, subnet);
            subnet = null;
        }
        List<String> securityGroups = List.of();
        if (groups instanceof List<?> list) {
            securityGroups = list.stream().filter(g -> g instanceof String).map(g -> ((String) g).strip())
                    .filter(g -> !g.isEmpty()).toList();
        } else if (groups != null) {
            log.warn("ENIConfig {}: spec.securityGroups is not a list ({}); using the primary ENI's groups", name, groups);
        }
        return new EniConfig(name, (String) subnet, securityGroups);
    }

    @Override
    public void close() {
        informer.stop();
    }
}
