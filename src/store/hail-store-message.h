/* hail-store-message.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-store-enums.h"
#include "hail-store-types.h"

G_BEGIN_DECLS

#define HAIL_TYPE_STORE_MESSAGE (hail_store_message_get_type ())
G_DECLARE_FINAL_TYPE (HailStoreMessage, hail_store_message, HAIL, STORE_MESSAGE, GObject)

/* A draft to hand to hail_store_add_outgoing_message_async() or
 * hail_store_add_incoming_message_async(); the other fields are
 * construct-only properties ("content-type", "call-id", "cseq", "mode",
 * "imdn-id", "time-sent", "time-received") set with g_object_new(). */
HailStoreMessage      *hail_store_message_new               (const char         *account,
                                                             const char         *remote,
                                                             HailStoreDirection  direction,
                                                             const char         *body)
                                                             G_GNUC_WARN_UNUSED_RESULT;

gint64                 hail_store_message_get_id            (HailStoreMessage *self);
gint64                 hail_store_message_get_conversation_id (HailStoreMessage *self);
const char            *hail_store_message_get_account       (HailStoreMessage *self);
const char            *hail_store_message_get_remote        (HailStoreMessage *self);
HailStoreDirection     hail_store_message_get_direction     (HailStoreMessage *self);
const char            *hail_store_message_get_body          (HailStoreMessage *self);
const char            *hail_store_message_get_content_type  (HailStoreMessage *self);
gint64                 hail_store_message_get_time_sent     (HailStoreMessage *self);
gint64                 hail_store_message_get_time_received (HailStoreMessage *self);
const char            *hail_store_message_get_call_id       (HailStoreMessage *self);
guint                  hail_store_message_get_cseq          (HailStoreMessage *self);
HailStoreMessageState  hail_store_message_get_state         (HailStoreMessage *self);
guint                  hail_store_message_get_status        (HailStoreMessage *self);
const char            *hail_store_message_get_reason        (HailStoreMessage *self);
HailStoreMessageMode   hail_store_message_get_mode          (HailStoreMessage *self);
const char            *hail_store_message_get_imdn_id       (HailStoreMessage *self);
guint                  hail_store_message_get_send_attempts (HailStoreMessage *self);
/* A file transfer's name, size, file:// URI (the source, or where it was
 * received) and RFC 5547 hash; NULL and 0 for a text. */
const char            *hail_store_message_get_file_name     (HailStoreMessage *self);
guint64                hail_store_message_get_file_size     (HailStoreMessage *self);
const char            *hail_store_message_get_file_uri      (HailStoreMessage *self);
const char            *hail_store_message_get_file_hash     (HailStoreMessage *self);
guint64                hail_store_message_get_file_acked    (HailStoreMessage *self);

G_END_DECLS
