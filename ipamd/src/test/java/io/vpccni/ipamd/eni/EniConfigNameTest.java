package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.k8s.NodeFacts;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which ENIConfig a node uses: upstream's order of label, annotation and label, then "default". */
class EniConfigNameTest {
    private static final String ZONE = "topology.kubernetes.io/zone";

    private static NodeFacts node(Map<String, String> labels, Map<String, String> annotations) {
        return new NodeFacts("ip-10-0-0-1", OptionalInt.empty(), false, labels, annotations);
    }

    @Test
    void theExternalLabelWinsOverEverything() {
        var naming = EniConfigName.fromEnv(Map.of("ENI_CONFIG_LABEL_DEF", ZONE));
        var choice = naming.choose(node(Map.of(EniConfigName.EXTERNAL_LABEL, "ext", ZONE, "us-west-2a"),
                Map.of(EniConfigName.DEFAULT_KEY, "annotated")));
        assertEquals(new EniConfigName.Choice("ext", "node label vpc.amazonaws.com/externalEniConfig"), choice);
    }

    @Test
    void theAnnotationComesBeforeTheLabel() {
        var naming = EniConfigName.fromEnv(Map.of("ENI_CONFIG_LABEL_DEF", ZONE));
        assertEquals("annotated", naming.choose(node(Map.of(ZONE, "us-west-2a"), Map.of(EniConfigName.DEFAULT_KEY, "annotated"))).name());
        assertEquals("us-west-2a", naming.choose(node(Map.of(ZONE, "us-west-2a"), Map.of())).name());
    }

    @Test
    void aBlankValueIsNoChoiceAndNothingMeansDefault() {
        var naming = EniConfigName.fromEnv(Map.of("ENI_CONFIG_ANNOTATION_DEF", " "));
        assertEquals(EniConfigName.DEFAULT_KEY, naming.annotationKey(), "a blank variable is its default");
        var choice = naming.choose(node(Map.of(EniConfigName.EXTERNAL_LABEL, " "), Map.of()));
        assertEquals("default", choice.name());
        assertEquals("no label vpc.amazonaws.com/externalEniConfig or k8s.amazonaws.com/eniConfig and no annotation "
                + "k8s.amazonaws.com/eniConfig on the node", choice.chosenBy());
    }
}
