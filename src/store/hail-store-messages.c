/* hail-store-messages.c: HailStore's message and conversation operations.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store.h"

#include "hail-store-private.h"

/* Messages. */

static gboolean
run_add_message (HailStoreJob  *job,
                 HailStoreDb   *db,
                 GError       **error)
{
  HailStoreMessage *message = NULL;
  HailStoreConversation *conversation = NULL;

  if (!_hail_store_db_add_message (db, HAIL_STORE_MESSAGE (job->draft), &message, &conversation,
                                   &job->flag, error))
    return FALSE;
  job->result = G_OBJECT (message);
  job->extra = G_OBJECT (conversation);
  return TRUE;
}

static void
add_message_done (HailStore    *self,
                  HailStoreJob *job,
                  GTask        *task)
{
  /* The conversation first, so that a new one exists in the conversation
   * list before its first message appears. */
  if (job->extra != NULL)
    _hail_store_emit_conversation_changed (self, HAIL_STORE_CONVERSATION (job->extra));
  if (!job->flag)
    _hail_store_emit_message_added (self, HAIL_STORE_MESSAGE (job->result));
  g_task_set_task_data (task, GINT_TO_POINTER (job->flag), NULL);
  g_task_return_int (task, hail_store_message_get_id (HAIL_STORE_MESSAGE (job->result)));
}

static void
queue_add_message (HailStore           *self,
                   HailStoreMessage    *draft,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  HailStoreJob *job = _hail_store_job_new (run_add_message, add_message_done);

  job->batchable = TRUE;
  job->draft = G_OBJECT (g_object_ref (draft));
  _hail_store_queue (self, job, source_tag, cancellable, callback, user_data);
}

void
hail_store_add_outgoing_message_async (HailStore           *self,
                                       HailStoreMessage    *draft,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (HAIL_IS_STORE_MESSAGE (draft));
  g_return_if_fail (hail_store_message_get_direction (draft) == HAIL_STORE_DIRECTION_OUT);

  queue_add_message (self, draft, hail_store_add_outgoing_message_async, cancellable, callback,
                     user_data);
}

gint64
hail_store_add_outgoing_message_finish (HailStore     *self,
                                        GAsyncResult  *result,
                                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  return _hail_store_propagate_id (result, error);
}

void
hail_store_add_incoming_message_async (HailStore           *self,
                                       HailStoreMessage    *draft,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (HAIL_IS_STORE_MESSAGE (draft));
  g_return_if_fail (hail_store_message_get_direction (draft) == HAIL_STORE_DIRECTION_IN);

  queue_add_message (self, draft, hail_store_add_incoming_message_async, cancellable, callback,
                     user_data);
}

gint64
hail_store_add_incoming_message_finish (HailStore     *self,
                                        GAsyncResult  *result,
                                        gboolean      *duplicate,
                                        GError       **error)
{
  gint64 id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = _hail_store_propagate_id (result, error);
  if (duplicate != NULL)
    *duplicate = id > 0 && GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  return id;
}

static gboolean
run_set_message_state (HailStoreJob  *job,
                       HailStoreDb   *db,
                       GError       **error)
{
  job->result = G_OBJECT (_hail_store_db_set_message_state (db, job->id, job->number,
                                                            job->status, job->text, error));
  return job->result != NULL;
}

static void
set_message_state_done (HailStore    *self,
                        HailStoreJob *job,
                        GTask        *task)
{
  _hail_store_emit_message_changed (self, HAIL_STORE_MESSAGE (job->result));
  g_task_return_boolean (task, TRUE);
}

void
hail_store_set_message_state_async (HailStore             *self,
                                    gint64                 id,
                                    HailStoreMessageState  state,
                                    guint                  status,
                                    const char            *reason,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (state <= HAIL_STORE_MESSAGE_STATE_FAILED);

  job = _hail_store_write_job (run_set_message_state, set_message_state_done, id);
  job->number = state;
  job->status = status;
  job->text = g_strdup (reason);
  _hail_store_queue (self, job, hail_store_set_message_state_async, cancellable, callback,
                     user_data);
}

gboolean
hail_store_set_message_state_finish (HailStore     *self,
                                     GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
run_set_message_mode (HailStoreJob  *job,
                      HailStoreDb   *db,
                      GError       **error)
{
  job->result = G_OBJECT (_hail_store_db_set_message_mode (db, job->id, job->number, error));
  return job->result != NULL;
}

void
hail_store_set_message_mode_async (HailStore            *self,
                                   gint64                id,
                                   HailStoreMessageMode  mode,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (mode <= HAIL_STORE_MESSAGE_MODE_SESSION);

  /* The same completion as a state change: the row is read back and
   * "message-changed" tells the lists. */
  job = _hail_store_job_new (run_set_message_mode, set_message_state_done);
  job->batchable = TRUE;
  job->id = id;
  job->number = mode;
  _hail_store_queue (self, job, hail_store_set_message_mode_async, cancellable, callback,
                     user_data);
}

gboolean
hail_store_set_message_mode_finish (HailStore     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
run_list_pending (HailStoreJob  *job,
                  HailStoreDb   *db,
                  GError       **error)
{
  job->rows = _hail_store_db_list_pending (db, error);
  return job->rows != NULL;
}

static gboolean
run_list_messages (HailStoreJob  *job,
                   HailStoreDb   *db,
                   GError       **error)
{
  job->rows = _hail_store_db_list_messages (db, job->id, job->before_id, job->number, error);
  return job->rows != NULL;
}

static gboolean
run_search (HailStoreJob  *job,
            HailStoreDb   *db,
            GError       **error)
{
  job->rows = _hail_store_db_search (db, job->text, job->number, error);
  return job->rows != NULL;
}

void
hail_store_list_pending_messages_async (HailStore           *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));

  _hail_store_queue (self, _hail_store_rows_job (run_list_pending, HAIL_TYPE_STORE_MESSAGE),
                     hail_store_list_pending_messages_async, cancellable, callback, user_data);
}

static gboolean
run_get_message (HailStoreJob  *job,
                 HailStoreDb   *db,
                 GError       **error)
{
  job->rows = _hail_store_db_get_message (db, job->id, error);
  return job->rows != NULL;
}

void
hail_store_get_message_async (HailStore           *self,
                              gint64               id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));

  job = _hail_store_rows_job (run_get_message, HAIL_TYPE_STORE_MESSAGE);
  job->id = id;
  _hail_store_queue (self, job, hail_store_get_message_async, cancellable, callback, user_data);
}

static gboolean
run_find_partial_file (HailStoreJob  *job,
                       HailStoreDb   *db,
                       GError       **error)
{
  job->rows = _hail_store_db_find_partial_file (db, HAIL_STORE_MESSAGE (job->draft), error);
  return job->rows != NULL;
}

void
hail_store_find_partial_file_async (HailStore           *self,
                                    HailStoreMessage    *like,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (HAIL_IS_STORE_MESSAGE (like));
  g_return_if_fail (hail_store_message_get_file_name (like) != NULL);

  job = _hail_store_rows_job (run_find_partial_file, HAIL_TYPE_STORE_MESSAGE);
  job->draft = g_object_ref (G_OBJECT (like));
  _hail_store_queue (self, job, hail_store_find_partial_file_async, cancellable, callback,
                     user_data);
}

static gboolean
run_set_file_acked (HailStoreJob  *job,
                    HailStoreDb   *db,
                    GError       **error)
{
  return _hail_store_db_set_file_acked (db, job->id, job->amount, job->text, error);
}

void
hail_store_set_file_acked_async (HailStore           *self,
                                 gint64               id,
                                 guint64              acked,
                                 const char          *hash,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));

  job = _hail_store_write_job (run_set_file_acked, _hail_store_return_true, id);
  job->amount = acked;
  job->text = g_strdup (hash);
  _hail_store_queue (self, job, hail_store_set_file_acked_async, cancellable, callback,
                     user_data);
}

static gboolean
run_take_stale_parts (HailStoreJob  *job,
                      HailStoreDb   *db,
                      GError       **error)
{
  job->rows = _hail_store_db_take_stale_parts (db, job->when, error);
  return job->rows != NULL;
}

static void
take_stale_parts_done (HailStore    *self,
                       HailStoreJob *job,
                       GTask        *task)
{
  GPtrArray *uris = g_steal_pointer (&job->rows);

  g_ptr_array_add (uris, NULL);
  g_task_return_pointer (task, g_ptr_array_free (uris, FALSE), (GDestroyNotify) g_strfreev);
}

void
hail_store_take_stale_parts_async (HailStore           *self,
                                   gint64               failed_before,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));

  /* Not batched: its transaction is its own. */
  job = _hail_store_job_new (run_take_stale_parts, take_stale_parts_done);
  job->when = failed_before;
  _hail_store_queue (self, job, hail_store_take_stale_parts_async, cancellable, callback,
                     user_data);
}

GStrv
hail_store_take_stale_parts_finish (HailStore     *self,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static HailStoreJob *
list_messages_job (gint64 conversation_id,
                   gint64 before_id,
                   guint  limit)
{
  HailStoreJob *job = _hail_store_rows_job (run_list_messages, HAIL_TYPE_STORE_MESSAGE);

  job->id = conversation_id;
  job->number = limit;
  job->before_id = before_id;
  return job;
}

void
hail_store_list_messages_async (HailStore           *self,
                                gint64               conversation_id,
                                gint64               before_id,
                                guint                limit,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));

  _hail_store_queue (self, list_messages_job (conversation_id, before_id, limit),
                     hail_store_list_messages_async, cancellable, callback, user_data);
}

void
hail_store_search_messages_async (HailStore           *self,
                                  const char          *query,
                                  guint                limit,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (query != NULL);

  job = _hail_store_rows_job (run_search, HAIL_TYPE_STORE_MESSAGE);
  job->text = g_strdup (query);
  job->number = limit;
  _hail_store_queue (self, job, hail_store_search_messages_async, cancellable, callback,
                     user_data);
}

GListModel *
hail_store_list_messages_finish (HailStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Conversations. */

static gboolean
run_list_conversations (HailStoreJob  *job,
                        HailStoreDb   *db,
                        GError       **error)
{
  job->rows = _hail_store_db_list_conversations (db, error);
  return job->rows != NULL;
}

void
hail_store_list_conversations_async (HailStore           *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));

  _hail_store_queue (self,
                     _hail_store_rows_job (run_list_conversations, HAIL_TYPE_STORE_CONVERSATION),
                     hail_store_list_conversations_async, cancellable, callback, user_data);
}

GListModel *
hail_store_list_conversations_finish (HailStore     *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
run_update_conversation (HailStoreJob  *job,
                         HailStoreDb   *db,
                         GError       **error)
{
  /* number: 1 to mark read; text: the new title (NULL keeps it). */
  job->result = G_OBJECT (_hail_store_db_update_conversation (db, job->id, job->number != 0,
                                                              job->text, error));
  return job->result != NULL;
}

static void
update_conversation_done (HailStore    *self,
                          HailStoreJob *job,
                          GTask        *task)
{
  _hail_store_emit_conversation_changed (self, HAIL_STORE_CONVERSATION (job->result));
  g_task_return_boolean (task, TRUE);
}

void
hail_store_mark_conversation_read_async (HailStore           *self,
                                         gint64               id,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));

  job = _hail_store_write_job (run_update_conversation, update_conversation_done, id);
  job->number = 1;
  _hail_store_queue (self, job, hail_store_mark_conversation_read_async, cancellable, callback,
                     user_data);
}

void
hail_store_set_conversation_title_async (HailStore           *self,
                                         gint64               id,
                                         const char          *title,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (title != NULL);

  job = _hail_store_write_job (run_update_conversation, update_conversation_done, id);
  job->text = g_strdup (title);
  _hail_store_queue (self, job, hail_store_set_conversation_title_async, cancellable, callback,
                     user_data);
}

static gboolean
run_delete_conversation (HailStoreJob  *job,
                         HailStoreDb   *db,
                         GError       **error)
{
  return _hail_store_db_delete_conversation (db, job->id, error);
}

static void
delete_conversation_done (HailStore    *self,
                          HailStoreJob *job,
                          GTask        *task)
{
  _hail_store_emit_conversation_removed (self, job->id);
  g_task_return_boolean (task, TRUE);
}

void
hail_store_delete_conversation_async (HailStore           *self,
                                      gint64               id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));

  job = _hail_store_write_job (run_delete_conversation, delete_conversation_done, id);
  _hail_store_queue (self, job, hail_store_delete_conversation_async, cancellable, callback,
                     user_data);
}

gboolean
hail_store_update_finish (HailStore     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Blocking variants for hail-cli. */

GListModel *
hail_store_list_conversations_sync (HailStore  *self,
                                    GError    **error)
{
  g_return_val_if_fail (HAIL_IS_STORE (self), NULL);

  return _hail_store_rows_sync (self,
                                _hail_store_rows_job (run_list_conversations,
                                                      HAIL_TYPE_STORE_CONVERSATION),
                                error);
}

GListModel *
hail_store_list_messages_sync (HailStore  *self,
                               gint64      conversation_id,
                               gint64      before_id,
                               guint       limit,
                               GError    **error)
{
  g_return_val_if_fail (HAIL_IS_STORE (self), NULL);

  return _hail_store_rows_sync (self, list_messages_job (conversation_id, before_id, limit),
                                error);
}

GListModel *
hail_store_search_messages_sync (HailStore   *self,
                                 const char  *query,
                                 guint        limit,
                                 GError     **error)
{
  HailStoreJob *job;

  g_return_val_if_fail (HAIL_IS_STORE (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  job = _hail_store_rows_job (run_search, HAIL_TYPE_STORE_MESSAGE);
  job->text = g_strdup (query);
  job->number = limit;
  return _hail_store_rows_sync (self, job, error);
}
