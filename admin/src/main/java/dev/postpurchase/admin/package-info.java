/**
 * The staff page: a JSON API and a single-page UI (plain HTML, CSS and JavaScript shipped in this jar, nothing from a
 * CDN) to find any action, read every attempt, re-run safely, test webhooks and edit the persisted configuration.
 * Build an {@link dev.postpurchase.admin.AdminPage} with an {@link dev.postpurchase.admin.AdminAuthorizer} (required:
 * there is no default that lets anyone in), then mount it as an {@link dev.postpurchase.admin.AdminServlet} in the
 * application's servlet container or start it on its own port with {@link dev.postpurchase.admin.AdminServer}.
 */
@NullMarked
package dev.postpurchase.admin;

import org.jspecify.annotations.NullMarked;
