package dev.postpurchase.core.action;

/** What created a run: a paid order or a shop event. */
public enum TriggerKind {
    ORDER,
    EVENT
}
