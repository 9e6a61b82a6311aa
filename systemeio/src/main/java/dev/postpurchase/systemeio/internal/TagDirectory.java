package dev.postpurchase.systemeio.internal;

import dev.postpurchase.core.Secret;
import dev.postpurchase.systemeio.SystemeIoClient;
import dev.postpurchase.systemeio.SystemeIoTag;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Resolves tag names to Systeme.io tags, caching each account's tag list (by API-key fingerprint) for a TTL.
 *
 * <p>A name missing from a cached list triggers one fresh listing (the merchant may just have created the tag);
 * names still missing are created when allowed, else reported. Calls for one key are serialised, so a burst of
 * runs lists the tags once and never creates the same tag twice; calls for different keys run in parallel.
 * Thread-safe.
 */
public final class TagDirectory {
    private final Duration ttl;
    private final Clock clock;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    public TagDirectory(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The outcome of resolving names: the tags found or created, by configured name, and the names missing. */
    public record Resolution(Map<String, SystemeIoTag> tags, List<String> missing, List<String> created) {
        public Resolution {
            tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
            missing = List.copyOf(missing);
            created = List.copyOf(created);
        }
    }

    /**
     * Resolves {@code names} (already trimmed) with {@code client}.
     *
     * @param createMissing create tags that do not exist instead of reporting them
     */
    public Resolution resolve(Secret apiKey, SystemeIoClient client, List<String> names, boolean createMissing) {
        Slot slot = slots.computeIfAbsent(KeyFingerprint.of(apiKey), k -> new Slot());
        synchronized (slot) {
            Instant now = clock.instant();
            List<SystemeIoTag> tags = slot.tags;
            boolean fresh = tags != null && slot.loadedAt != null && now.isBefore(slot.loadedAt.plus(ttl));
            if (tags == null || !fresh || !allFound(tags, names)) {
                tags = new ArrayList<>(client.listTags());
                slot.tags = tags;
                slot.loadedAt = now;
            }
            Map<String, SystemeIoTag> found = new LinkedHashMap<>();
            List<String> missing = new ArrayList<>();
            List<String> created = new ArrayList<>();
            for (String name : names) {
                Optional<SystemeIoTag> tag = TagMatcher.match(tags, name);
                if (tag.isPresent()) {
                    found.put(name, tag.get());
                } else if (createMissing) {
                    SystemeIoTag made = client.createTag(name);
                    tags.add(made);
                    found.put(name, made);
                    created.add(name);
                } else {
                    missing.add(name);
                }
            }
            return new Resolution(found, missing, created);
        }
    }

    /** Forgets the cached tags of this key (a tag was deleted in Systeme.io). */
    public void invalidate(Secret apiKey) {
        Slot slot = slots.get(KeyFingerprint.of(apiKey));
        if (slot != null) {
            synchronized (slot) {
                slot.tags = null;
                slot.loadedAt = null;
            }
        }
    }

    private static boolean allFound(@Nullable List<SystemeIoTag> tags, List<String> names) {
        if (tags == null) {
            return false;
        }
        for (String name : names) {
            if (TagMatcher.match(tags, name).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static final class Slot {
        private @Nullable List<SystemeIoTag> tags;
        private @Nullable Instant loadedAt;
    }
}
