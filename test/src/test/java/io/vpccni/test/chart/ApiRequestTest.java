package io.vpccni.test.chart;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** HTTP method and path to what RBAC authorizes, as the API server resolves them. */
class ApiRequestTest {
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
            "GET    | /api/v1/nodes?fieldSelector=metadata.name%3Dip-1&resourceVersion=0 | list core/nodes named ip-1",
            "GET    | /api/v1/nodes?allowWatchBookmarks=true&fieldSelector=metadata.name%3Dip-1&watch=true | watch core/nodes named ip-1",
            "GET    | /api/v1/nodes/ip-1                                             | get core/nodes named ip-1",
            "GET    | /api/v1/watch/nodes                                            | watch core/nodes",
            "GET    | /apis/crd.k8s.amazonaws.com/v1alpha1/eniconfigs                | list crd.k8s.amazonaws.com/eniconfigs",
            "PATCH  | /api/v1/namespaces/default/pods/web-1                          | patch core/pods in default named web-1",
            "POST   | /api/v1/namespaces/kube-system/events                          | create core/events in kube-system",
            "PUT    | /apis/vpcresources.k8s.aws/v1alpha1/cninodes/ip-1              | update vpcresources.k8s.aws/cninodes named ip-1",
            "PATCH  | /api/v1/nodes/ip-1/status                                      | patch core/nodes/status named ip-1",
            "DELETE | /api/v1/namespaces/default/pods                                | deletecollection core/pods in default",
            "GET    | /api/v1/namespaces/kube-system                                 | get core/namespaces named kube-system",
            "GET    | /version                                                       | get /version"})
    void resolvesAsTheApiServerDoes(String method, String path, String expected) {
        assertEquals(expected, ApiRequest.of(method, path).toString());
    }
}
