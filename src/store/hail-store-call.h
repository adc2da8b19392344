/* hail-store-call.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-store-enums.h"
#include "hail-store-types.h"

G_BEGIN_DECLS

#define HAIL_TYPE_STORE_CALL (hail_store_call_get_type ())
G_DECLARE_FINAL_TYPE (HailStoreCall, hail_store_call, HAIL, STORE_CALL, GObject)

/* The final responses Hail sends to refuse an incoming call: the user's
 * Decline sends 603, so an unanswered incoming call that ended with 603 was
 * declined here, not missed. 486 is the phone refusing a call it has no
 * room for (two calls already): the user never saw it ring, so it is
 * missed. Plain literals: the store's SQL spells them with G_STRINGIFY(). */
#define HAIL_STORE_STATUS_BUSY_HERE 486
#define HAIL_STORE_STATUS_DECLINE   603

/* A draft for hail_store_add_call_async(); "start-time" may be given with
 * g_object_new(), else the store uses the time of the insert. */
HailStoreCall     *hail_store_call_new             (const char         *account,
                                                    const char         *remote,
                                                    HailStoreDirection  direction,
                                                    const char         *call_id)
                                                    G_GNUC_WARN_UNUSED_RESULT;

gint64             hail_store_call_get_id          (HailStoreCall *self);
const char        *hail_store_call_get_account     (HailStoreCall *self);
const char        *hail_store_call_get_remote      (HailStoreCall *self);
HailStoreDirection hail_store_call_get_direction   (HailStoreCall *self);
const char        *hail_store_call_get_call_id     (HailStoreCall *self);
gint64             hail_store_call_get_start_time  (HailStoreCall *self);
gint64             hail_store_call_get_answer_time (HailStoreCall *self);
gint64             hail_store_call_get_end_time    (HailStoreCall *self);
gint64             hail_store_call_get_duration    (HailStoreCall *self);
guint              hail_store_call_get_status      (HailStoreCall *self);
const char        *hail_store_call_get_reason      (HailStoreCall *self);
gboolean           hail_store_call_get_missed      (HailStoreCall *self);
/* Incoming, ended unanswered with HAIL_STORE_STATUS_DECLINE: the user
 * declined it here. */
gboolean           hail_store_call_get_declined    (HailStoreCall *self);

G_END_DECLS
