/* hail-store-message-list.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-store.h"

G_BEGIN_DECLS

#define HAIL_TYPE_STORE_MESSAGE_LIST (hail_store_message_list_get_type ())
G_DECLARE_FINAL_TYPE (HailStoreMessageList, hail_store_message_list, HAIL, STORE_MESSAGE_LIST,
                      GObject)

/* A GListModel of the HailStoreMessage of one conversation, oldest first,
 * kept up to date from @store's signals. Empty until loaded; load_async
 * loads the newest page (200 messages), load_older_async the page before. */
HailStoreMessageList *hail_store_message_list_new                (HailStore  *store,
                                                                  gint64      conversation_id)
                                                                  G_GNUC_WARN_UNUSED_RESULT;
gint64                hail_store_message_list_get_conversation_id (HailStoreMessageList *self);
/* TRUE until a load reached the conversation's first message. */
gboolean              hail_store_message_list_get_has_older      (HailStoreMessageList *self);
void                  hail_store_message_list_load_async         (HailStoreMessageList *self,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
void                  hail_store_message_list_load_older_async   (HailStoreMessageList *self,
                                                                  GCancellable         *cancellable,
                                                                  GAsyncReadyCallback   callback,
                                                                  gpointer              user_data);
/* Finishes both loads; returns FALSE with @error set on failure. */
gboolean              hail_store_message_list_load_finish        (HailStoreMessageList *self,
                                                                  GAsyncResult         *result,
                                                                  GError              **error);

G_END_DECLS
