package io.vpccni.ipamd.owned;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.util.Collection;
import java.util.List;

/** The kernel objects this daemon put on the host and keeps there: what the healer restores. */
public record OwnedState(Collection<Rule> rules, Collection<Route> routes, Collection<Address> addresses) {
    public OwnedState {
        rules = List.copyOf(rules);
        routes = List.copyOf(routes);
        addresses = List.copyOf(addresses);
    }

    public boolean contains(Object object) {
        return rules.contains(object) || routes.contains(object) || addresses.contains(object);
    }

    public static OwnedState ofRules(Collection<Rule> rules) {
        return new OwnedState(rules, List.of(), List.of());
    }
}
