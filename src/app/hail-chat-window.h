/* hail-chat-window.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "hail-engine.h"
#include "hail-store.h"

G_BEGIN_DECLS

#define HAIL_TYPE_CHAT_WINDOW (hail_chat_window_get_type ())

G_DECLARE_FINAL_TYPE (HailChatWindow, hail_chat_window, HAIL, CHAT_WINDOW, AdwWindow)

/* One conversation with @remote from @account. @conversation_id is 0 for a
 * conversation with no stored message yet; the window picks it up when the
 * first message is stored. @store may be NULL while it opens. */
HailChatWindow *hail_chat_window_new                (HailStore      *store,
                                                     HailEngine     *engine,
                                                     const char     *account,
                                                     const char     *remote,
                                                     const char     *title,
                                                     gint64          conversation_id)
                                                     G_GNUC_WARN_UNUSED_RESULT;
const char     *hail_chat_window_get_account        (HailChatWindow *self);
const char     *hail_chat_window_get_remote         (HailChatWindow *self);
gint64          hail_chat_window_get_conversation_id (HailChatWindow *self);
/* The messages shown (after the search filter), as HailStoreMessage. */
GListModel     *hail_chat_window_get_messages       (HailChatWindow *self);

G_END_DECLS
