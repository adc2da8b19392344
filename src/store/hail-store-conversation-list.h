/* hail-store-conversation-list.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-store.h"

G_BEGIN_DECLS

#define HAIL_TYPE_STORE_CONVERSATION_LIST (hail_store_conversation_list_get_type ())
G_DECLARE_FINAL_TYPE (HailStoreConversationList, hail_store_conversation_list, HAIL,
                      STORE_CONVERSATION_LIST, GObject)

/* A GListModel of HailStoreConversation, newest activity first, kept up to
 * date from @store's signals. Empty until loaded. */
HailStoreConversationList *
         hail_store_conversation_list_new         (HailStore                  *store)
                                                   G_GNUC_WARN_UNUSED_RESULT;
void     hail_store_conversation_list_load_async  (HailStoreConversationList  *self,
                                                   GCancellable               *cancellable,
                                                   GAsyncReadyCallback         callback,
                                                   gpointer                    user_data);
gboolean hail_store_conversation_list_load_finish (HailStoreConversationList  *self,
                                                   GAsyncResult               *result,
                                                   GError                    **error);

G_END_DECLS
