package dev.postpurchase.reliability;

/**
 * Test sizes: the defaults keep the module's run within a few minutes on a two-core machine; {@code -Dpp.soak=true}
 * selects the larger soak sizes documented in RELIABILITY.md.
 */
final class Soak {
    private Soak() {}

    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty("pp.soak", "false"));
    }

    /** {@code normal}, or {@code soak} when soak sizes were asked for. */
    static int size(int normal, int soak) {
        return enabled() ? soak : normal;
    }
}
