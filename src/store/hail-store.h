/* hail-store.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "hail-store-call.h"
#include "hail-store-contact.h"
#include "hail-store-conversation.h"
#include "hail-store-enums.h"
#include "hail-store-error.h"
#include "hail-store-message.h"
#include "hail-store-types.h"

G_BEGIN_DECLS

#define HAIL_TYPE_STORE (hail_store_get_type ())
G_DECLARE_FINAL_TYPE (HailStore, hail_store, HAIL, STORE, GObject)

/* g_get_user_data_dir()/hail/hail.db */
char       *hail_store_get_default_path              (void) G_GNUC_WARN_UNUSED_RESULT;

/* Opens (creating and migrating as needed) the database at @path, or at the
 * default path when @path is NULL. */
void        hail_store_new_async                     (const char           *path,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
HailStore  *hail_store_new_finish                    (GAsyncResult         *result,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;

const char *hail_store_get_path                      (HailStore            *self);

/* Finishes the queued operations, then closes the database; later
 * operations fail with HAIL_STORE_ERROR_CLOSED. */
void        hail_store_close_async                   (HailStore            *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    hail_store_close_finish                  (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Messages. A message the user typed is written QUEUED before it is sent:
 * @draft comes from hail_store_message_new() (direction OUT); the finish
 * function returns the new row id, or 0 with @error set. */
void        hail_store_add_outgoing_message_async    (HailStore            *self,
                                                      HailStoreMessage     *draft,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint64      hail_store_add_outgoing_message_finish   (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* An incoming MESSAGE already stored under the same account, Call-ID and
 * CSeq is a retransmission: the finish function then returns the existing
 * id and sets @duplicate, without error. */
void        hail_store_add_incoming_message_async    (HailStore            *self,
                                                      HailStoreMessage     *draft,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint64      hail_store_add_incoming_message_finish   (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      gboolean             *duplicate,
                                                      GError              **error);
void        hail_store_set_message_state_async       (HailStore            *self,
                                                      gint64                id,
                                                      HailStoreMessageState state,
                                                      guint                 status,
                                                      const char           *reason,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    hail_store_set_message_state_finish      (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* Records which way an outgoing message went after all: a text meant for
 * a message session that went as a MESSAGE instead (issue #8). */
void        hail_store_set_message_mode_async        (HailStore            *self,
                                                      gint64                id,
                                                      HailStoreMessageMode  mode,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    hail_store_set_message_mode_finish       (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* Outgoing messages still QUEUED or SENDING (after a crash or a quit), oldest
 * first, for the chat layer to resend once with the same Call-ID or to mark
 * FAILED: "send-attempts" counts how often each entered SENDING. */
void        hail_store_list_pending_messages_async   (HailStore            *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* The message with row @id, as a list of one; HAIL_STORE_ERROR_NOT_FOUND
 * when there is none. */
void        hail_store_get_message_async             (HailStore            *self,
                                                      gint64                id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* RFC 5547 §9: the newest incoming file from the same account and peer
 * with the name, size and hash of @like that did not arrive whole (SENDING
 * or FAILED), as a list of at most one; hail_store_list_messages_finish()
 * gives it. */
void        hail_store_find_partial_file_async       (HailStore            *self,
                                                      HailStoreMessage     *like,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Of an outgoing file: the bytes the peer acknowledged of the content
 * whose RFC 5547 hash is @hash (stored with them), so that a retry after
 * a restart resumes there if the file is still the same
 * (hail_store_message_get_file_acked()). Finish with
 * hail_store_update_finish(). */
void        hail_store_set_file_acked_async          (HailStore            *self,
                                                      gint64                id,
                                                      guint64               acked,
                                                      const char           *hash,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* The file:// URIs (under their final names) of incoming files whose
 * transfer failed before @failed_before (g_get_real_time() units), or
 * whose row was deleted before the file was whole: their "NAME.part"
 * and reserved empty NAME are Hail's to remove. Each URI is handed out
 * once; the history rows stay. */
void        hail_store_take_stale_parts_async        (HailStore            *self,
                                                      gint64                failed_before,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GStrv       hail_store_take_stale_parts_finish       (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* One page of a conversation, oldest first: the @limit newest messages with
 * an id below @before_id (0: the newest). */
void        hail_store_list_messages_async           (HailStore            *self,
                                                      gint64                conversation_id,
                                                      gint64                before_id,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Full-text search of message bodies: every word of @query must match (as
 * a prefix); newest first. */
void        hail_store_search_messages_async         (HailStore            *self,
                                                      const char           *query,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Finishes list_pending_messages, get_message, list_messages and
 * search_messages: a new GListModel of HailStoreMessage. */
GListModel *hail_store_list_messages_finish          (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;

/* Conversations, newest activity first. */
void        hail_store_list_conversations_async      (HailStore            *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel *hail_store_list_conversations_finish     (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
void        hail_store_mark_conversation_read_async  (HailStore            *self,
                                                      gint64                id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* An empty @title removes it. */
void        hail_store_set_conversation_title_async  (HailStore            *self,
                                                      gint64                id,
                                                      const char           *title,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Deletes the conversation, its messages and their search index rows. */
void        hail_store_delete_conversation_async     (HailStore            *self,
                                                      gint64                id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Finishes mark_conversation_read, set_conversation_title,
 * delete_conversation, answer_call and delete_contact. */
gboolean    hail_store_update_finish                 (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);

/* Calls. @draft comes from hail_store_call_new(); returns the row id. */
void        hail_store_add_call_async                (HailStore            *self,
                                                      HailStoreCall        *draft,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gint64      hail_store_add_call_finish               (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error);
/* Records the answer time (now); only the first answer counts. */
void        hail_store_answer_call_async             (HailStore            *self,
                                                      gint64                id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
/* Records the end (now), the final status and reason; computes the duration
 * and whether it was missed: incoming, never answered, not answered
 * elsewhere (status 200 for a CANCEL with Reason SIP;cause=200) and not
 * declined here (HAIL_STORE_STATUS_DECLINE, see
 * hail_store_call_get_declined()). Only the
 * first end counts. Returns the finished call. */
void        hail_store_end_call_async                (HailStore            *self,
                                                      gint64                id,
                                                      guint                 status,
                                                      const char           *reason,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
HailStoreCall *hail_store_end_call_finish            (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
/* The @limit most recent calls, newest first, as HailStoreCall items. */
void        hail_store_list_calls_async              (HailStore            *self,
                                                      guint                 limit,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel *hail_store_list_calls_finish             (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;

/* Contacts. Imports a vCard 3.0 or 4.0 file; a card whose name matches a
 * stored contact adds to it. Inline photos are saved beside the database. */
void        hail_store_import_vcard_async            (HailStore            *self,
                                                      GFile                *file,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
gboolean    hail_store_import_vcard_finish           (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      guint                *n_imported,
                                                      GError              **error);
/* Contacts sorted by name, as HailStoreContact items. */
void        hail_store_list_contacts_async           (HailStore            *self,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
GListModel *hail_store_list_contacts_finish          (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
/* The contact with @address (a SIP URI or a phone number, compared exactly:
 * the caller normalises), for caller ID and chat titles; NOT_FOUND if none. */
void        hail_store_find_contact_async            (HailStore            *self,
                                                      const char           *address,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
HailStoreContact *hail_store_find_contact_finish     (HailStore            *self,
                                                      GAsyncResult         *result,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
void        hail_store_delete_contact_async          (HailStore            *self,
                                                      gint64                id,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);

/* Blocking variants, for hail-cli only: they wait for the worker thread.
 * The application never calls them. */
HailStore  *hail_store_new_sync                      (const char           *path,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
GListModel *hail_store_list_conversations_sync       (HailStore            *self,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
GListModel *hail_store_list_messages_sync            (HailStore            *self,
                                                      gint64                conversation_id,
                                                      gint64                before_id,
                                                      guint                 limit,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
GListModel *hail_store_search_messages_sync          (HailStore            *self,
                                                      const char           *query,
                                                      guint                 limit,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
GListModel *hail_store_list_calls_sync               (HailStore            *self,
                                                      guint                 limit,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
GListModel *hail_store_list_contacts_sync            (HailStore            *self,
                                                      GError              **error)
                                                      G_GNUC_WARN_UNUSED_RESULT;
gboolean    hail_store_import_vcard_sync             (HailStore            *self,
                                                      GFile                *file,
                                                      guint                *n_imported,
                                                      GError              **error);

G_END_DECLS
