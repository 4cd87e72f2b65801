package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.config.Env;
import io.vpccni.ipamd.k8s.NodeFacts;

import java.util.Map;

/**
 * Which ENIConfig a node uses, as upstream decides: the label {@code vpc.amazonaws.com/externalEniConfig} (set by
 * tools outside the cluster), else the node annotation named by {@code ENI_CONFIG_ANNOTATION_DEF}, else the node label
 * named by {@code ENI_CONFIG_LABEL_DEF} (both {@code k8s.amazonaws.com/eniConfig} by default; a common choice is
 * {@code topology.kubernetes.io/zone}), else {@code default}.
 */
public record EniConfigName(String annotationKey, String labelKey) {
    public static final String EXTERNAL_LABEL = "vpc.amazonaws.com/externalEniConfig";
    public static final String DEFAULT_KEY = "k8s.amazonaws.com/eniConfig";
    public static final String DEFAULT_NAME = "default";

    /** The chosen name, and what chose it (for messages an operator acts on). */
    public record Choice(String name, String chosenBy) {
    }

    public static EniConfigName fromEnv(Map<String, String> env) {
        var annotation = Env.get(env, "ENI_CONFIG_ANNOTATION_DEF");
        var label = Env.get(env, "ENI_CONFIG_LABEL_DEF");
        return new EniConfigName(annotation == null ? DEFAULT_KEY : annotation, label == null ? DEFAULT_KEY : label);
    }

    public Choice choose(NodeFacts node) {
        var external = nonBlank(node.labels().get(EXTERNAL_LABEL));
        if (external != null) {
            return new Choice(external, "node label " + EXTERNAL_LABEL);
        }
        var annotated = nonBlank(node.annotations().get(annotationKey));
        if (annotated != null) {
            return new Choice(annotated, "node annotation " + annotationKey);
        }
        var labelled = nonBlank(node.labels().get(labelKey));
        if (labelled != null) {
            return new Choice(labelled, "node label " + labelKey);
        }
        return new Choice(DEFAULT_NAME, "no label " + EXTERNAL_LABEL + " or " + labelKey + " and no annotation "
                + annotationKey + " on the node");
    }

    private static String nonBlank(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
