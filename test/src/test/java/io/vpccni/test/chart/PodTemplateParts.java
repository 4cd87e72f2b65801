package io.vpccni.test.chart;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;

import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Lookups into a rendered DaemonSet's pod template that fail with what was there instead. */
final class PodTemplateParts {
    private PodTemplateParts() {
    }

    static Container container(DaemonSet ds, String name) {
        return ds.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> name.equals(c.getName()))
                .findFirst().orElseThrow(() -> new AssertionError("no container " + name + " in "
                        + ds.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getName).toList()));
    }

    static Container initContainer(DaemonSet ds) {
        var inits = ds.getSpec().getTemplate().getSpec().getInitContainers();
        assertEquals(1, inits.size(), "one init container");
        return inits.getFirst();
    }

    /** The variables with a literal value (the downward-API ones have none). */
    static Map<String, String> env(Container c) {
        return c.getEnv().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    static VolumeMount mount(Container c, String path) {
        return c.getVolumeMounts().stream().filter(m -> path.equals(m.getMountPath())).findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " does not mount " + path + ": " + c.getVolumeMounts()));
    }

    static Volume volume(DaemonSet ds, String name) {
        return ds.getSpec().getTemplate().getSpec().getVolumes().stream().filter(v -> name.equals(v.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
