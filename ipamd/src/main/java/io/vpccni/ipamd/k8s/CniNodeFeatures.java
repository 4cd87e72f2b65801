package io.vpccni.ipamd.k8s;

/**
 * The features this node advertises on its {@code CNINode} ({@code vpc.amazonaws.com/v1alpha1}), read by the VPC
 * resource controller: today {@code CustomNetworking} with the ENIConfig's name.
 */
public interface CniNodeFeatures {
    /** Adds or updates one feature; retried in the background when the API server does not answer. */
    void advertise(String feature, String value);

    CniNodeFeatures NONE = (feature, value) -> { };
}
