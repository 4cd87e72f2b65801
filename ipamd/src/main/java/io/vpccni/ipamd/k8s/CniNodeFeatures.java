package io.vpccni.ipamd.k8s;

/**
 * The features this node advertises on its {@code CNINode} ({@code vpcresources.k8s.aws/v1alpha1}, the VPC resource
 * controller's CRD, which reads them): today {@code CustomNetworking} with the ENIConfig's name.
 */
public interface CniNodeFeatures {
    /** Adds or updates one feature; retried in the background when the API server does not answer. */
    void advertise(String feature, String value);

    CniNodeFeatures NONE = (feature, value) -> { };
}
