package io.vpccni.ipamd.eni;

/** Told about each ENI the daemon attaches, just before the attach, and after it is detached and deleted. */
public interface EniAttachmentListener {
    EniAttachmentListener NONE = new EniAttachmentListener() {
        @Override
        public void beforeAttach(String eniId, String mac) {
        }

        @Override
        public void deleted(String eniId) {
        }
    };

    void beforeAttach(String eniId, String mac);

    void deleted(String eniId);
}
