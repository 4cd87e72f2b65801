package io.vpccni.ipamd.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.slf4j.LoggerFactory;

import java.util.List;

/** What one class logged at INFO and above while a test ran, for "said once, not every pass" assertions. */
public final class CapturedLogs implements AutoCloseable {
    private final Logger logger;
    private final Level level;
    private final boolean additive;
    /** Each event's log fields (MDC) are taken as it is logged: logback reads them lazily otherwise, after they are gone. */
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            super.append(event);
        }
    };

    public CapturedLogs(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        level = logger.getLevel();
        additive = logger.isAdditive();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.INFO);
        logger.setAdditive(false);
    }

    /** The formatted messages, in order. */
    public List<String> messages() {
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** The events, with their log fields (MDC). */
    public List<ILoggingEvent> events() {
        return List.copyOf(appender.list);
    }

    public long count(String phrase) {
        return messages().stream().filter(m -> m.contains(phrase)).count();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        logger.setLevel(level);
        logger.setAdditive(additive);
    }
}
