package io.vpccni.test.chart;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The rules the chart grants the daemon's ServiceAccount, evaluated as the RBAC authorizer does: a ClusterRole's
 * rules everywhere, a Role's only in its namespace; a rule allows a request when its apiGroups, resources and verbs
 * contain the request's (or "*"), and its resourceNames, when it has any, contain the request's name (so never a
 * create, which names nothing yet).
 */
public final class RbacRules {

    /** One verb on one resource of one rule: the unit that must be used by the daemon to be worth granting. */
    public record Grant(String scope, String group, String resource, String verb, List<String> resourceNames) {
        boolean allows(ApiRequest r) {
            return (scope == null || scope.equals(r.namespace()))
                    && matches(group, r.group()) && matches(resource, r.resource()) && matches(verb, r.verb())
                    && (resourceNames.isEmpty() || r.name() != null && resourceNames.contains(r.name()));
        }

        private static boolean matches(String granted, String asked) {
            return granted.equals("*") || granted.equals(asked);
        }

        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "core" : group) + "/" + resource
                    + (resourceNames.isEmpty() ? "" : " named " + resourceNames) + (scope == null ? " (cluster)" : " in " + scope);
        }
    }

    private final List<Grant> grants;

    private RbacRules(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /** What the rendered chart binds to the daemon: its ClusterRole, and the sweeper Role in the release namespace. */
    public static RbacRules of(RenderedChart chart) {
        var grants = new ArrayList<Grant>();
        addAll(grants, null, chart.clusterRole().getRules());
        var role = chart.sweeperRole();
        addAll(grants, role.getMetadata().getNamespace(), role.getRules());
        return new RbacRules(grants);
    }

    private static void addAll(List<Grant> into, String scope, Collection<PolicyRule> rules) {
        for (var rule : rules) {
            if (rule.getNonResourceURLs() != null && !rule.getNonResourceURLs().isEmpty()) {
                throw new IllegalArgumentException("nonResourceURLs are not evaluated here: " + rule);
            }
            var names = rule.getResourceNames() == null ? List.<String>of() : rule.getResourceNames();
            for (var group : rule.getApiGroups()) {
                for (var resource : rule.getResources()) {
                    for (var verb : rule.getVerbs()) {
                        into.add(new Grant(scope, group, resource, verb, names));
                    }
                }
            }
        }
    }

    public boolean allows(ApiRequest request) {
        return grants.stream().anyMatch(g -> g.allows(request));
    }

    public List<ApiRequest> denied(Collection<ApiRequest> requests) {
        return requests.stream().filter(r -> !allows(r)).distinct().toList();
    }

    public List<Grant> unusedBy(Collection<ApiRequest> requests) {
        return grants.stream().filter(g -> requests.stream().noneMatch(g::allows)).toList();
    }

    public List<Grant> grants() {
        return grants;
    }
}
