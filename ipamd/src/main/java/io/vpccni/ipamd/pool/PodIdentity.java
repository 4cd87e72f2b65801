package io.vpccni.ipamd.pool;

/** Who a pod is in Kubernetes; metadata of an assignment, never part of its key. */
public record PodIdentity(String namespace, String name, String uid, String infraContainerId) {
    public PodIdentity {
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        uid = uid == null ? "" : uid;
        infraContainerId = infraContainerId == null ? "" : infraContainerId;
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}
