/* hail-offer-notifier.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-engine.h"

G_BEGIN_DECLS

#define HAIL_TYPE_OFFER_NOTIFIER (hail_offer_notifier_get_type ())

G_DECLARE_FINAL_TYPE (HailOfferNotifier, hail_offer_notifier, HAIL, OFFER_NOTIFIER, GObject)

/* Asks about each offer of @engine with a notification whose buttons are
 * the app actions "accept-offer" and "decline-offer" (target: the offer's
 * id), added to @app here, and withdraws it once the offer is decided. */
HailOfferNotifier *hail_offer_notifier_new (GApplication *app,
                                            HailEngine   *engine) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
