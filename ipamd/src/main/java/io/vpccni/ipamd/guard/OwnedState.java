package io.vpccni.ipamd.guard;

import io.vpccni.ipamd.net.Address;
import io.vpccni.ipamd.net.Route;
import io.vpccni.ipamd.net.Rule;

import java.util.Collection;
import java.util.List;

/** The kernel objects this daemon put on the host and keeps there: what {@link StateHealer} restores. */
public record OwnedState(Collection<Rule> rules, Collection<Route> routes, Collection<Address> addresses) {
    public OwnedState {
        rules = List.copyOf(rules);
        routes = List.copyOf(routes);
        addresses = List.copyOf(addresses);
    }

    public static OwnedState ofRules(Collection<Rule> rules) {
        return new OwnedState(rules, List.of(), List.of());
    }
}
