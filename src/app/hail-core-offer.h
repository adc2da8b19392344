/* hail-core-offer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-chat-offer.h"
#include "hail-offer-view.h"

G_BEGIN_DECLS

#define HAIL_TYPE_CORE_OFFER (hail_core_offer_get_type ())

G_DECLARE_FINAL_TYPE (HailCoreOffer, hail_core_offer, HAIL, CORE_OFFER, GObject)

/* A core HailChatOffer as the app's HailOfferView, with an id unique in
 * the process for the notification's actions. */
HailCoreOffer *hail_core_offer_new (HailChatOffer *offer) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
