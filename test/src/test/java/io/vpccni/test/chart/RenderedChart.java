package io.vpccni.test.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The objects a rendering of the chart produced, in Fabric8's model (kinds without a model class, ENIConfig and
 * PodMonitor, as generic resources), looked up by kind and name.
 */
public record RenderedChart(String yaml, List<HasMetadata> objects, String values) {

    static RenderedChart parse(String yaml, String values) {
        return new RenderedChart(yaml, objectsOf(yaml), values);
    }

    @SuppressWarnings("unchecked")
    private static List<HasMetadata> objectsOf(String yaml) {
        Object parsed = Serialization.unmarshal(yaml);
        if (parsed instanceof KubernetesList list) {
            return list.getItems();
        }
        if (parsed instanceof List<?> list) {
            return (List<HasMetadata>) list;
        }
        return parsed == null ? List.of() : List.of((HasMetadata) parsed);
    }

    public DaemonSet daemonSet() {
        return one(DaemonSet.class, "aws-node");
    }

    public ClusterRole clusterRole() {
        return one(ClusterRole.class, "aws-node");
    }

    public ClusterRoleBinding clusterRoleBinding() {
        return one(ClusterRoleBinding.class, "aws-node");
    }

    public Role sweeperRole() {
        return one(Role.class, "aws-node-leaked-eni-sweeper");
    }

    public RoleBinding sweeperRoleBinding() {
        return one(RoleBinding.class, "aws-node-leaked-eni-sweeper");
    }

    public ConfigMap configMap() {
        return one(ConfigMap.class, "amazon-vpc-cni");
    }

    public Optional<ServiceAccount> serviceAccount() {
        return find(ServiceAccount.class).stream().findFirst();
    }

    /** The objects of one kind the model has no class for (ENIConfig, PodMonitor). */
    public List<GenericKubernetesResource> generic(String kind) {
        return find(GenericKubernetesResource.class).stream().filter(o -> kind.equals(o.getKind())).toList();
    }

    public <T extends HasMetadata> List<T> find(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends HasMetadata> T one(Class<T> type, String name) {
        var found = find(type).stream().filter(o -> name.equals(o.getMetadata().getName())).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " " + type.getSimpleName() + " named " + name + " rendered with "
                    + values + "; the objects are: " + summary());
        }
        return found.getFirst();
    }

    public String summary() {
        return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).collect(Collectors.joining(", "));
    }
}
