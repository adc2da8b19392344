/* hail-store-conversation.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define HAIL_TYPE_STORE_CONVERSATION (hail_store_conversation_get_type ())
G_DECLARE_FINAL_TYPE (HailStoreConversation, hail_store_conversation, HAIL, STORE_CONVERSATION,
                      GObject)

gint64      hail_store_conversation_get_id            (HailStoreConversation *self);
const char *hail_store_conversation_get_account       (HailStoreConversation *self);
const char *hail_store_conversation_get_remote        (HailStoreConversation *self);
const char *hail_store_conversation_get_title         (HailStoreConversation *self);
gint64      hail_store_conversation_get_last_activity (HailStoreConversation *self);
guint       hail_store_conversation_get_unread_count  (HailStoreConversation *self);

G_END_DECLS
