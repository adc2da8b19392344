/* hail-offer-view.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* An incoming message session (a file, or a long text chat) from someone
 * not in the contacts, waiting for the user's yes or no. The core engine
 * wraps src/core's HailChatOffer in it (issue #8). */

#define HAIL_TYPE_OFFER_VIEW (hail_offer_view_get_type ())

G_DECLARE_INTERFACE (HailOfferView, hail_offer_view, HAIL, OFFER_VIEW, GObject)

/* Read-only properties: "id" (string, unique in the process: notification
 * actions name the offer by it), "remote" (string), "display-name"
 * (string, nullable), "file-name" (string, NULL for a text session),
 * "size" (uint64, 0 when unknown), "decided" (boolean with notify: TRUE
 * once answered here or elsewhere, timed out or cancelled by the peer). */
struct _HailOfferViewInterface {
  GTypeInterface parent_iface;

  void (*accept)  (HailOfferView *self);
  void (*decline) (HailOfferView *self);
};

/* The properties in the order hail_offer_view_override_properties() gives
 * them ids, from its @first_prop on. */
typedef enum {
  HAIL_OFFER_VIEW_PROP_ID,
  HAIL_OFFER_VIEW_PROP_REMOTE,
  HAIL_OFFER_VIEW_PROP_DISPLAY_NAME,
  HAIL_OFFER_VIEW_PROP_FILE_NAME,
  HAIL_OFFER_VIEW_PROP_SIZE,
  HAIL_OFFER_VIEW_PROP_DECIDED,
} HailOfferViewProperty;

/* For an implementation's class_init: overrides every property, property
 * HAIL_OFFER_VIEW_PROP_X getting the id @first_prop + X. */
void      hail_offer_view_override_properties (GObjectClass *klass,
                                               guint         first_prop);

char     *hail_offer_view_dup_id        (HailOfferView *self) G_GNUC_WARN_UNUSED_RESULT;
char     *hail_offer_view_dup_remote    (HailOfferView *self) G_GNUC_WARN_UNUSED_RESULT;
gboolean  hail_offer_view_is_decided    (HailOfferView *self);
/* "Bob wants to send you report.pdf (2.3 MB)" or "Bob wants to start a
 * chat session", with the display name when the peer gave one. */
char     *hail_offer_view_dup_question  (HailOfferView *self) G_GNUC_WARN_UNUSED_RESULT;
/* One of them, once: later calls and calls once decided do nothing. */
void      hail_offer_view_accept        (HailOfferView *self);
void      hail_offer_view_decline       (HailOfferView *self);

G_END_DECLS
