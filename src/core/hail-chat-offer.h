/* hail-chat-offer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Seconds an offer a "session-offer" handler took may wait for its
 * decision; the INVITE then gets 480 (Temporarily Unavailable). */
#define HAIL_CHAT_OFFER_TIMEOUT_SECONDS 120

#define HAIL_TYPE_CHAT_OFFER (hail_chat_offer_get_type ())
G_DECLARE_FINAL_TYPE (HailChatOffer, hail_chat_offer, HAIL, CHAT_OFFER, GObject)

/* An incoming message session (text or file) the chat wants a decision
 * on, from HailChat's "session-offer". Property "decided" (boolean) goes
 * TRUE once it was accepted, declined, timed out or withdrawn by the peer
 * (CANCEL), so that a question about it can be taken back. */
const char *hail_chat_offer_get_remote       (HailChatOffer *self);
/* The From display name, or NULL. */
const char *hail_chat_offer_get_display_name (HailChatOffer *self);
gboolean    hail_chat_offer_is_file          (HailChatOffer *self);
/* The offered file name, percent-decoded and safe as a file name (no
 * directory part); NULL for a text session. */
const char *hail_chat_offer_get_file_name    (HailChatOffer *self);
/* The offered size, 0 when unknown or for a text session. */
guint64     hail_chat_offer_get_file_size    (HailChatOffer *self);
const char *hail_chat_offer_get_content_type (HailChatOffer *self);
gboolean    hail_chat_offer_get_decided      (HailChatOffer *self);
/* One of them, once; later calls (and calls after "decided") do nothing. */
void        hail_chat_offer_accept           (HailChatOffer *self);
void        hail_chat_offer_decline          (HailChatOffer *self);

G_END_DECLS
