package dev.postpurchase.examples.standins;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postpurchase.core.PostpurchaseJson;
import dev.postpurchase.examples.standins.StandInServer.Request;
import dev.postpurchase.examples.standins.StandInServer.Response;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Kajabi's offer activation and deactivation webhooks: {@code POST /webhooks/offers/<token>/<offerId>/activate}
 * with JSON {@code name, email, external_user_id}. Only offers registered with {@link #offer} exist; any other path
 * answers 404 like a mistyped URL. Answers "already been granted" on a repeated grant and "grant not found" on a
 * revoke without a grant, as Kajabi does.
 */
public final class KajabiStandIn implements StandInServer.Handler {
    private final Map<String, String> tokenByOffer = new ConcurrentHashMap<>();
    private final Set<String> grants = ConcurrentHashMap.newKeySet();
    private final Map<String, Boolean> grantEmails = new ConcurrentHashMap<>();
    private final AtomicInteger activationRequests = new AtomicInteger();

    /** Registers an offer; returns the path of its activation URL. */
    public String offer(String offerId, String token) {
        tokenByOffer.put(offerId, token);
        return "/webhooks/offers/" + token + "/" + offerId + "/activate";
    }

    @Override
    public Response handle(Request request) throws Exception {
        String[] parts = request.path().split("/");
        // "", "webhooks", "offers", token, offerId, action
        if (!request.method().equals("POST")
                || parts.length != 6
                || !parts[1].equals("webhooks")
                || !tokenByOffer.getOrDefault(parts[4], "").equals(parts[3])) {
            return Response.json(404, "{\"error\":\"Base: not found\"}");
        }
        JsonNode body = PostpurchaseJson.mapper().readTree(request.body());
        String externalUserId = body.path("external_user_id").asText("");
        if (body.path("email").asText("").isBlank()) {
            return Response.json(422, "{\"error\":\"email: can't be blank\"}");
        }
        String grant = parts[4] + "|" + externalUserId;
        if (parts[5].equals("activate")) {
            activationRequests.incrementAndGet();
            if (!grants.add(grant)) {
                return Response.json(422, "{\"error\":\"The offer has already been granted to this member\"}");
            }
            grantEmails.put(grant, request.query().contains("send_offer_grant_email=true"));
            return Response.json(200, "{\"status\":\"ok\"}");
        }
        if (parts[5].equals("deactivate")) {
            if (!grants.remove(grant)) {
                return Response.json(422, "{\"error\":\"Offer grant not found for offer on member\"}");
            }
            return Response.json(200, "{\"status\":\"ok\"}");
        }
        return Response.json(404, "{\"error\":\"Base: not found\"}");
    }

    /** Whether the member (by external user id) holds the offer. */
    public boolean hasGrant(String offerId, String externalUserId) {
        return grants.contains(offerId + "|" + externalUserId);
    }

    /** How many activation requests reached a registered offer, repeated grants included. */
    public int activationRequests() {
        return activationRequests.get();
    }

    /** Whether the grant asked Kajabi to send its grant email. */
    public boolean grantEmailRequested(String offerId, String externalUserId) {
        return grantEmails.getOrDefault(offerId + "|" + externalUserId, false);
    }
}
