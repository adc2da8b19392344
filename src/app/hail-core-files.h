/* hail-core-files.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "hail-chat.h"
#include "hail-engine.h"
#include "hail-store.h"

G_BEGIN_DECLS

#define HAIL_TYPE_CORE_FILES (hail_core_files_get_type ())

G_DECLARE_FINAL_TYPE (HailCoreFiles, hail_core_files, HAIL, CORE_FILES, GObject)

/* The core engine's files and offers: it watches each account's HailChat,
 * wraps its transfers and offers for the windows and emits HailEngine's
 * "transfer-added" and "offer-added" on @engine (borrowed: it owns this). */
HailCoreFiles    *hail_core_files_new        (HailEngine          *engine)
                                              G_GNUC_WARN_UNUSED_RESULT;
/* Offers from the store's contacts are accepted; others are asked about. */
void              hail_core_files_watch_chat (HailCoreFiles       *self,
                                              HailChat            *chat,
                                              HailStore           *store);
/* Completes once the transfer started (its row exists) or could not. */
void              hail_core_files_send_async (HailCoreFiles       *self,
                                              HailChat            *chat,
                                              const char          *remote,
                                              GFile               *file,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean          hail_core_files_send_finish (HailCoreFiles      *self,
                                               GAsyncResult       *result,
                                               GError            **error);
/* hail_chat_retry_file_async() on @chat, whose transfer the windows get
 * by "transfer-added"; _finish gives its view, or the core's reason it
 * could not start. */
void              hail_core_files_retry_async (HailCoreFiles      *self,
                                               HailChat           *chat,
                                               gint64              message_id,
                                               GCancellable       *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer            user_data);
HailTransferView *hail_core_files_retry_finish (HailCoreFiles     *self,
                                                GAsyncResult      *result,
                                                GError           **error)
                                                G_GNUC_WARN_UNUSED_RESULT;
HailTransferView *hail_core_files_lookup     (HailCoreFiles       *self,
                                              gint64               message_id);
GPtrArray        *hail_core_files_dup_offers (HailCoreFiles       *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
