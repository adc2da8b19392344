/* hail-chat-file-rows.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailChat: the history's rows of files. A file is a message of mode
 * SESSION with file columns; the row is written before the INVITE goes
 * (outgoing, QUEUED then SENDING) or when the file is accepted (incoming,
 * SENDING while it arrives), and its state follows the transfer:
 * DELIVERED once the peer's Success-Report covers the whole file or the
 * file is on disk, FAILED with the reason otherwise. A row left SENDING
 * by a Hail that stopped is failed at the next start. An outgoing row
 * keeps what the peer acknowledged, so that a retry from the history
 * after a restart resumes there; the parts of incoming files that failed
 * long ago, or whose rows were deleted, are removed when a chat starts.
 */
#include "config.h"

#include "hail-chat-private.h"

#include "hail-store-error.h"

#include <errno.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

static HailStoreMessage *
draft_for (HailChat         *self,
           HailChatTransfer *transfer)
{
  g_autofree char *uri = g_file_get_uri (hail_chat_transfer_get_file (transfer));
  gboolean outgoing = hail_chat_transfer_is_outgoing (transfer);

  return g_object_new (HAIL_TYPE_STORE_MESSAGE,
                       "account", self->aor,
                       "remote", hail_chat_transfer_get_remote (transfer),
                       "direction", outgoing ? HAIL_STORE_DIRECTION_OUT : HAIL_STORE_DIRECTION_IN,
                       /* The body is the name, so that a search finds the file. */
                       "body", hail_chat_transfer_get_name (transfer),
                       "content-type", hail_chat_transfer_get_content_type (transfer),
                       "mode", HAIL_STORE_MESSAGE_MODE_SESSION,
                       "file-name", hail_chat_transfer_get_name (transfer),
                       "file-size", (gint64) MIN (hail_chat_transfer_get_size (transfer),
                                                  (guint64) G_MAXINT64),
                       "file-uri", uri,
                       "file-hash", _hail_chat_transfer_get_hash (transfer),
                       outgoing ? "time-sent" : "time-received", g_get_real_time (),
                       NULL);
}

typedef struct {
  GTask            *task;
  HailChatTransfer *transfer;
} Stored;

static void
outgoing_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Stored *stored = user_data;
  g_autoptr(GTask) task = stored->task;
  g_autoptr(HailChatTransfer) transfer = stored->transfer;
  HailChat *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  gint64 id;

  g_free (stored);
  id = hail_store_add_outgoing_message_finish (HAIL_STORE (source), result, &error);
  if (id == 0)
    {
      /* As for texts: nothing goes that the history could not keep. */
      g_autofree char *reason = g_strdup_printf ("The file was not sent: the history could not "
                                                 "store it: %s", error->message);

      _hail_chat_transfer_set_state (transfer, HAIL_CHAT_TRANSFER_FAILED, reason);
      g_task_return_new_error (task, error->domain, error->code, "%s", reason);
      return;
    }
  _hail_chat_transfer_set_id (transfer, id);
  _hail_chat_record_file_state (self, transfer, HAIL_STORE_MESSAGE_STATE_SENDING, NULL);
  _hail_chat_file_stored (self, task);
}

void
_hail_chat_record_outgoing_file (HailChat         *self,
                                 HailChatTransfer *transfer,
                                 GTask            *task)
{
  g_autoptr(HailStoreMessage) draft = NULL;
  Stored *stored;

  if (self->store == NULL)
    {
      _hail_chat_file_stored (self, task);
      return;
    }
  draft = draft_for (self, transfer);
  stored = g_new0 (Stored, 1);
  stored->task = g_object_ref (task);
  stored->transfer = g_object_ref (transfer);
  hail_store_add_outgoing_message_async (self->store, draft, g_task_get_cancellable (task),
                                         outgoing_stored_cb, stored);
}

static void
incoming_stored_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(HailChatTransfer) transfer = user_data;
  g_autoptr(HailChat) self = _hail_chat_transfer_dup_chat (transfer);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = hail_store_add_incoming_message_finish (HAIL_STORE (source), result, NULL, &error);
  if (id == 0)
    {
      g_debug ("Could not store an incoming file: %s", error->message);
      return;
    }
  _hail_chat_transfer_set_id (transfer, id);
  if (self == NULL)
    return;
  /* The row says what the transfer says, whichever came first. */
  switch (hail_chat_transfer_get_state (transfer))
    {
    case HAIL_CHAT_TRANSFER_DONE:
      break;
    case HAIL_CHAT_TRANSFER_CONNECTING:
    case HAIL_CHAT_TRANSFER_ACTIVE:
      _hail_chat_record_file_state (self, transfer, HAIL_STORE_MESSAGE_STATE_SENDING, NULL);
      break;
    case HAIL_CHAT_TRANSFER_FAILED:
    case HAIL_CHAT_TRANSFER_DECLINED:
    case HAIL_CHAT_TRANSFER_CANCELLED:
    default:
      _hail_chat_record_file_state (self, transfer, HAIL_STORE_MESSAGE_STATE_FAILED,
                                    hail_chat_transfer_get_reason (transfer) != NULL
                                    ? hail_chat_transfer_get_reason (transfer) : "cancelled");
      break;
    }
}

void
_hail_chat_record_incoming_file (HailChat         *self,
                                 HailChatTransfer *transfer)
{
  g_autoptr(HailStoreMessage) draft = NULL;

  if (self->store == NULL)
    return;
  draft = draft_for (self, transfer);
  hail_store_add_incoming_message_async (self->store, draft, NULL, incoming_stored_cb,
                                         g_object_ref (transfer));
}

void
_hail_chat_record_file_state (HailChat              *self,
                              HailChatTransfer      *transfer,
                              HailStoreMessageState  state,
                              const char            *reason)
{
  if (self == NULL)
    return;
  _hail_chat_record_state (self, hail_chat_transfer_get_id (transfer), state, 0, reason);
}

/* Stale parts: at start, "NAME.part" files of incoming transfers that
 * failed over a week ago (or whose row was deleted) go, with the empty
 * NAME each held. Only paths the store recorded are looked at, so that
 * nothing Hail did not make is touched. */

static void
remove_stale_part (const char *uri)
{
  g_autoptr(GFile) file = g_file_new_for_uri (uri);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *part = NULL;
  GStatBuf st;

  if (path == NULL)
    return;
  part = g_strconcat (path, ".part", NULL);
  if (g_lstat (part, &st) != 0 || !S_ISREG (st.st_mode))
    return;
  if (g_unlink (part) != 0)
    {
      g_debug ("Could not remove %s: %s", part, g_strerror (errno));
      return;
    }
  g_debug ("Removed %s, left by a transfer that failed", part);
  /* The name it held goes too while still empty: with bytes in it, it is
   * a file someone put there since. */
  if (g_lstat (path, &st) == 0 && S_ISREG (st.st_mode) && st.st_size == 0)
    g_unlink (path);
}

static void
stale_parts_taken_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) uris = hail_store_take_stale_parts_finish (HAIL_STORE (source), result, &error);

  if (uris == NULL)
    {
      g_debug ("Could not list stale parts of files: %s", error->message);
      return;
    }
  for (guint i = 0; uris[i] != NULL; i++)
    remove_stale_part (uris[i]);
}

void
_hail_chat_remove_stale_parts (HailChat *self)
{
  if (self->store == NULL)
    return;
  hail_store_take_stale_parts_async (self->store,
                                     g_get_real_time () - STALE_PART_AGE_DAYS * G_TIME_SPAN_DAY,
                                     NULL, stale_parts_taken_cb, NULL);
}

/* What the peer acknowledged of an outgoing file, kept as it grows so
 * that a retry after a restart resumes there. */

static void
acked_stored_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_update_finish (HAIL_STORE (source), result, &error))
    g_debug ("Could not record the bytes a peer acknowledged: %s", error->message);
}

void
_hail_chat_record_file_acked (HailChat         *self,
                              HailChatTransfer *transfer)
{
  if (self->store == NULL || hail_chat_transfer_get_id (transfer) == 0)
    return;
  hail_store_set_file_acked_async (self->store, hail_chat_transfer_get_id (transfer),
                                   _hail_chat_transfer_get_reported (transfer),
                                   _hail_chat_transfer_get_hash (transfer), NULL,
                                   acked_stored_cb, NULL);
}

/* Retrying a file from its history row. */

static void
retried_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The transfer's state and row say how it ended. */
  if (!hail_chat_transfer_retry_finish (HAIL_CHAT_TRANSFER (source), result, &error))
    g_debug ("A retried file was not sent: %s", error->message);
}

static void
retry_row_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailChat *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) rows = hail_store_list_messages_finish (HAIL_STORE (source), result,
                                                               &error);
  g_autoptr(HailStoreMessage) row = NULL;
  g_autoptr(HailChatTransfer) transfer = NULL;
  g_autoptr(GFile) file = NULL;

  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  row = g_list_model_get_item (rows, 0);
  if (row == NULL || hail_store_message_get_direction (row) != HAIL_STORE_DIRECTION_OUT
      || hail_store_message_get_file_name (row) == NULL
      || hail_store_message_get_file_uri (row) == NULL
      || g_strcmp0 (hail_store_message_get_account (row), self->aor) != 0)
    {
      g_task_return_new_error (task, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND,
                               "Message %" G_GINT64_FORMAT " is not a file this account sent",
                               g_task_get_task_data (task) != NULL
                               ? *(gint64 *) g_task_get_task_data (task) : 0);
      return;
    }
  if (hail_store_message_get_state (row) != HAIL_STORE_MESSAGE_STATE_FAILED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "“%s” has not failed: only a failed file is sent again",
                               hail_store_message_get_file_name (row));
      return;
    }
  file = g_file_new_for_uri (hail_store_message_get_file_uri (row));
  transfer = _hail_chat_transfer_new (self, TRUE, hail_store_message_get_remote (row),
                                      hail_store_message_get_file_name (row),
                                      hail_store_message_get_content_type (row),
                                      hail_store_message_get_file_size (row), file);
  _hail_chat_transfer_set_id (transfer, hail_store_message_get_id (row));
  /* RFC 5547 §9: resumed after what the peer acknowledged, as long as the
   * file still has the hash it was offered with. */
  _hail_chat_transfer_set_hash (transfer, hail_store_message_get_file_hash (row));
  _hail_chat_transfer_set_reported (transfer, hail_store_message_get_file_acked (row));
  g_signal_emit (self, _hail_chat_signals[SIGNAL_TRANSFER_ADDED], 0, transfer);
  _hail_chat_retry_transfer (self, transfer, g_task_get_cancellable (task), retried_cb, NULL);
  g_task_return_pointer (task, g_steal_pointer (&transfer), g_object_unref);
}

void
hail_chat_retry_file_async (HailChat            *self,
                            gint64               message_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HAIL_IS_CHAT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_retry_file_async);
  g_task_set_task_data (task, g_memdup2 (&message_id, sizeof message_id), g_free);
  if (self->store == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "Without a history there is no file to send again");
      return;
    }
  hail_store_get_message_async (self->store, message_id, cancellable, retry_row_cb,
                                g_steal_pointer (&task));
}

HailChatTransfer *
hail_chat_retry_file_finish (HailChat      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
