package dev.postpurchase.examples;

import dev.postpurchase.examples.readme.MyStoreContractTest;

/** Runs the README's contract-kit sample as a test. */
class ReadmeContractKitTest extends MyStoreContractTest {}
