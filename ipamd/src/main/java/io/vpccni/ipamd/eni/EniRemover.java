package io.vpccni.ipamd.eni;

import io.vpccni.ipamd.cloud.CloudException;
import io.vpccni.ipamd.cloud.Ec2Api;
import io.vpccni.ipamd.pool.Datastore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Detaches and deletes ENIs with backoff, and never forgets one still on the node: an ENI EC2 will not detach
 * is recorded as attached outside the pool (it holds a slot; no pod may use it) and tried again on later passes.
 * An ENI that is detached but could not be deleted is off the node; leaked-ENI collection deletes it.
 */
final class EniRemover {
    private static final Logger log = LoggerFactory.getLogger(EniRemover.class);
    /** How often an ENI EC2 would not detach is tried again. */
    static final Duration RETRY_INTERVAL = Duration.ofMinutes(1);
    static final String STUCK = "the daemon could not detach it after a failure; it tries again every "
            + RETRY_INTERVAL.toSeconds() + " s";

    private final Ec2Api ec2;
    private final Datastore datastore;
    private final Backoff backoff;
    private final Clock clock;
    /** ENIs still attached that should not be: id → device number. Touched only by the pool manager's thread. */
    private final Map<String, Integer> stuck = new LinkedHashMap<>();
    private Instant lastRetry = Instant.EPOCH;
    private volatile EniAttachmentListener attachments = EniAttachmentListener.NONE;

    EniRemover(Ec2Api ec2, Datastore datastore, Backoff backoff, Clock clock) {
        this.ec2 = ec2;
        this.datastore = datastore;
        this.backoff = backoff;
        this.clock = clock;
    }

    void attachments(EniAttachmentListener listener) {
        this.attachments = listener;
    }

    /**
     * Detaches (if {@code attachmentId} is given) and deletes an ENI that is not in the pool.
     *
     * @return true when it is off the node; false when it may still be attached, and is now recorded so
     */
    boolean remove(String eniId, String attachmentId, int device) throws InterruptedException {
        // Detaching can take minutes of retries: meanwhile the ENI is attached outside the pool, and the node reconcile
        // must not take it for one someone else attached.
        datastore.recordUnpooled(new Datastore.UnpooledEni(eniId, 0, device, Datastore.UnpooledEni.REMOVING));
        var detached = attachmentId == null || detach(eniId, attachmentId);
        if (detached && delete(eniId)) {
            gone(eniId);
            return true;
        }
        if (detached && attachmentNow(eniId).isEmpty()) {
            gone(eniId);
            return true;  // available: the leaked-ENI collection deletes it
        }
        datastore.recordUnpooled(new Datastore.UnpooledEni(eniId, 0, device, STUCK));
        stuck.put(eniId, device);
        log.error("{} is still attached at device {} after a failed set-up or deletion; no pod uses it and it is tried again "
                + "every {} s", eniId, device, RETRY_INTERVAL.toSeconds());
        return false;
    }

    /** Tries once more to take the ENIs {@link #remove} could not off the node, at most every {@link #RETRY_INTERVAL}. */
    void retryStuck() throws InterruptedException {
        var now = clock.instant();
        if (stuck.isEmpty() || now.isBefore(lastRetry.plus(RETRY_INTERVAL))) {
            return;
        }
        lastRetry = now;
        for (var eniId : List.copyOf(stuck.keySet())) {
            Optional<String> attachment;
            try {
                attachment = backoff.retrying(() -> ec2.describeNetworkInterfaces(List.of(eniId)))
                        .stream().findFirst().flatMap(n -> n.attachmentId());
            } catch (CloudException.NotFound gone) {
                attachment = Optional.empty();
            } catch (CloudException e) {
                log.warn("{}: cannot tell whether it is still attached, next try in {} s: {}", eniId, RETRY_INTERVAL.toSeconds(),
                        e.getMessage());
                continue;
            }
            if (attachment.isPresent() && !detachOnce(attachment.get())) {
                continue;
            }
            delete(eniId);
            stuck.remove(eniId);
            gone(eniId);
            log.info("{} is detached at last", eniId);
        }
    }

    /** The ENI is off the node. IMDS may list it for a while yet: the reconcile is told the daemon removed it. */
    private void gone(String eniId) {
        datastore.forgetUnpooled(eniId);
        datastore.noteOwnEniChange(eniId);
        attachments.deleted(eniId);
    }

    private boolean detach(String eniId, String attachmentId) throws InterruptedException {
        for (var attempt = 0; attempt < backoff.attempts(); attempt++) {
            backoff.pause(attempt);
            if (detachOnce(attachmentId)) {
                return true;
            }
        }
        log.warn("could not detach {} ({}) in {} attempts", eniId, attachmentId, backoff.attempts());
        return false;
    }

    private boolean detachOnce(String attachmentId) {
        try {
            ec2.detach(attachmentId, false);
            return true;
        } catch (CloudException.NotFound gone) {
            return true;
        } catch (CloudException e) {
            log.debug("detach {}: {}", attachmentId, e.getMessage());
            return false;
        }
    }

    /** Deletes with retries; "not found" counts as done. EC2 refuses while the detach is still in progress. */
    private boolean delete(String eniId) throws InterruptedException {
        for (var attempt = 0; attempt < backoff.attempts(); attempt++) {
            backoff.pause(attempt);
            try {
                ec2.delete(eniId);
                return true;
            } catch (CloudException.NotFound e) {
                return true;
            } catch (CloudException e) {
                log.debug("delete {} attempt {}: {}", eniId, attempt + 1, e.getMessage());
            }
        }
        log.warn("could not delete {} after {} attempts", eniId, backoff.attempts());
        return false;
    }

    /** The ENI's attachment as EC2 describes it now; present also when EC2 cannot say, as the safe assumption. */
    private Optional<String> attachmentNow(String eniId) throws InterruptedException {
        try {
            var found = backoff.retrying(() -> ec2.describeNetworkInterfaces(List.of(eniId)));
            return found.isEmpty() ? Optional.empty() : found.getFirst().attachmentId();
        } catch (CloudException.NotFound gone) {
            return Optional.empty();
        } catch (CloudException e) {
            return Optional.of("unknown");
        }
    }
}
