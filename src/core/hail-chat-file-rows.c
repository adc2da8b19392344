/* hail-chat-file-rows.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailChat: the history's rows of files. A file is a message of mode
 * SESSION with file columns; the row is written before the INVITE goes
 * (outgoing, QUEUED then SENDING) or when the file is accepted (incoming,
 * SENDING while it arrives), and its state follows the transfer:
 * DELIVERED once the peer's Success-Report covers the whole file or the
 * file is on disk, FAILED with the reason otherwise. A row left SENDING
 * by a Hail that stopped is failed at the next start.
 */
#include "config.h"

#include "hail-chat-private.h"

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
