package dev.postpurchase.testing;

/** The config of the fake executors: they need none. */
public record NoConfig() {}
