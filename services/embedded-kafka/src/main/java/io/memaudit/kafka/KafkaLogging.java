package io.memaudit.kafka;

/**
 * Kafka logs through SLF4J, except its logging controller (the {@code kafka.Log4jController} MBean),
 * which asks the Log4j 2 API for a logger. Without a Log4j 2 implementation on the class path (this
 * module excludes log4j-core: memaudit logs through SLF4J) the Log4j API prints
 * "ERROR StatusLogger Log4j2 could not find a logging implementation" on first use. This selects the
 * Log4j API's own console logger (errors only) instead, unless a Log4j provider is present or the
 * choice was made already with {@value #FACTORY_PROPERTY}.
 */
final class KafkaLogging {
    static final String FACTORY_PROPERTY = "log4j2.loggerContextFactory";
    private static final String SIMPLE_FACTORY = "org.apache.logging.log4j.simple.SimpleLoggerContextFactory";
    private static final String[] PROVIDER_RESOURCES = {
            "META-INF/services/org.apache.logging.log4j.spi.Provider", "META-INF/log4j-provider.properties"};

    private KafkaLogging() {
    }

    static synchronized void quietLog4jFallback() {
        if (System.getProperty(FACTORY_PROPERTY) != null || hasLog4jProvider() || !isPresent(SIMPLE_FACTORY)) {
            return;
        }
        System.setProperty(FACTORY_PROPERTY, SIMPLE_FACTORY);
    }

    private static boolean hasLog4jProvider() {
        ClassLoader loader = KafkaLogging.class.getClassLoader();
        for (String resource : PROVIDER_RESOURCES) {
            if (loader.getResource(resource) != null) {
                return true;
            }
        }
        return false;
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, KafkaLogging.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
