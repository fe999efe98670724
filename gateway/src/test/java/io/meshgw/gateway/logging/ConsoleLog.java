package io.meshgw.gateway.logging;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

/** The running application's console handler, and what it makes of one record. */
final class ConsoleLog {
    private ConsoleLog() {}

    /** One INFO record as the console handler would print it. */
    static String format(String message) {
        var record = new ExtLogRecord(Level.INFO, message, ConsoleLog.class.getName());
        record.setLoggerName("io.meshgw.gateway.logging");
        return console().getFormatter().format(record);
    }

    static ConsoleHandler console() {
        List<ConsoleHandler> found = new ArrayList<>();
        for (Handler h : LogContext.getLogContext().getLogger("").getHandlers()) collect(h, found);
        if (found.size() != 1) {
            throw new AssertionError("expected one console handler under the root logger, found " + found.size());
        }
        return found.getFirst();
    }

    /** Quarkus wraps the handlers (delayed, async): the console handler is somewhere below. */
    private static void collect(Handler handler, List<ConsoleHandler> into) {
        if (handler instanceof ConsoleHandler console) {
            into.add(console);
        } else if (handler instanceof ExtHandler ext) {
            for (Handler child : ext.getHandlers()) collect(child, into);
        }
    }
}
