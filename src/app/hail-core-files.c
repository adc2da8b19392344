/* hail-core-files.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-core-files.h"

#include "hail-core-offer.h"
#include "hail-core-transfer.h"

struct _HailCoreFiles {
  GObject parent_instance;

  /* borrowed references */
  HailEngine *engine;

  /* owned references */
  GHashTable *transfers;   /* gint64 * (store row) -> HailCoreTransfer */
  GPtrArray *offers;       /* HailCoreOffer still open, oldest first */
  GPtrArray *sending;      /* SendOp not started yet */
};

G_DEFINE_FINAL_TYPE (HailCoreFiles, hail_core_files, G_TYPE_OBJECT)

/* A file being sent, until its transfer shows up or sending it failed. */
typedef struct {
  GTask *task;
  char *remote;
  GFile *file;
  gboolean started;
} SendOp;

static void
send_op_free (SendOp *op)
{
  g_clear_object (&op->task);
  g_free (op->remote);
  g_clear_object (&op->file);
  g_free (op);
}

/* A transfer this send started: the window has its row now. */
static void
start_matching_send (HailCoreFiles    *self,
                     HailChatTransfer *transfer)
{
  GFile *file = hail_chat_transfer_get_file (transfer);

  if (!hail_chat_transfer_is_outgoing (transfer) || file == NULL)
    return;
  for (guint i = 0; i < self->sending->len; i++)
    {
      SendOp *op = g_ptr_array_index (self->sending, i);

      if (op->started || g_strcmp0 (op->remote, hail_chat_transfer_get_remote (transfer)) != 0 ||
          !g_file_equal (op->file, file))
        continue;
      op->started = TRUE;
      g_task_return_boolean (op->task, TRUE);
      return;
    }
}

static void
transfer_added_cb (HailCoreFiles    *self,
                   HailChatTransfer *transfer)
{
  g_autoptr(HailCoreTransfer) view = hail_core_transfer_new (transfer);
  gint64 id = hail_chat_transfer_get_id (transfer);

  /* Kept for the run: a row made later (a window opened again) finds it. */
  if (id > 0)
    g_hash_table_replace (self->transfers, g_memdup2 (&id, sizeof id), g_object_ref (view));
  g_signal_emit_by_name (self->engine, "transfer-added", view);
  start_matching_send (self, transfer);
}

static void
offer_decided_cb (HailCoreFiles *self,
                  GParamSpec    *pspec,
                  HailOfferView *offer)
{
  if (!hail_offer_view_is_decided (offer))
    return;
  g_signal_handlers_disconnect_by_data (offer, self);
  g_ptr_array_remove (self->offers, offer);
}

static void
ask (HailCoreFiles *self,
     HailChatOffer *offer)
{
  g_autoptr(HailCoreOffer) view = NULL;

  if (hail_chat_offer_get_decided (offer))
    return;
  view = hail_core_offer_new (offer);
  g_ptr_array_add (self->offers, g_object_ref (view));
  g_signal_connect_object (view, "notify::decided", G_CALLBACK (offer_decided_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_emit_by_name (self->engine, "offer-added", view);
}

typedef struct {
  HailCoreFiles *self;
  HailChatOffer *offer;
} OfferOp;

static void
contact_found_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OfferOp *op = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailStoreContact) contact = hail_store_find_contact_finish (HAIL_STORE (source),
                                                                        result, &error);

  /* Issue #8: accepted for known contacts, asked about for the others. */
  if (contact != NULL)
    hail_chat_offer_accept (op->offer);
  else
    ask (op->self, op->offer);
  g_object_unref (op->self);
  g_object_unref (op->offer);
  g_free (op);
}

/* The decision is always taken here, so that the default policy never
 * refuses a stranger before the user was asked. */
static gboolean
session_offer_cb (HailChat      *chat,
                  HailChatOffer *offer,
                  HailCoreFiles *self)
{
  HailStore *store = g_object_get_data (G_OBJECT (chat), "hail-core-files-store");
  OfferOp *op;

  if (store == NULL)
    {
      ask (self, offer);
      return TRUE;
    }
  op = g_new0 (OfferOp, 1);
  op->self = g_object_ref (self);
  op->offer = g_object_ref (offer);
  hail_store_find_contact_async (store, hail_chat_offer_get_remote (offer), NULL,
                                 contact_found_cb, op);
  return TRUE;
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendOp *op = user_data;
  HailCoreFiles *self = g_task_get_source_object (op->task);
  GError *error = NULL;
  gboolean ok = hail_chat_send_file_finish (HAIL_CHAT (source), result, &error);

  /* Once started, how it ends is the transfer's state and reason. */
  if (!op->started)
    {
      if (ok)
        g_task_return_boolean (op->task, TRUE);
      else
        g_task_return_error (op->task, g_steal_pointer (&error));
    }
  g_clear_error (&error);
  g_ptr_array_remove (self->sending, op);
}

static void
hail_core_files_dispose (GObject *object)
{
  HailCoreFiles *self = HAIL_CORE_FILES (object);

  for (guint i = 0; self->offers != NULL && i < self->offers->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (self->offers, i), self);
  g_clear_pointer (&self->offers, g_ptr_array_unref);
  g_clear_pointer (&self->transfers, g_hash_table_unref);

  G_OBJECT_CLASS (hail_core_files_parent_class)->dispose (object);
}

static void
hail_core_files_finalize (GObject *object)
{
  HailCoreFiles *self = HAIL_CORE_FILES (object);

  g_clear_pointer (&self->sending, g_ptr_array_unref);

  G_OBJECT_CLASS (hail_core_files_parent_class)->finalize (object);
}

static void
hail_core_files_class_init (HailCoreFilesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_core_files_dispose;
  object_class->finalize = hail_core_files_finalize;
}

static void
hail_core_files_init (HailCoreFiles *self)
{
  self->transfers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  self->offers = g_ptr_array_new_with_free_func (g_object_unref);
  self->sending = g_ptr_array_new_with_free_func ((GDestroyNotify) send_op_free);
}

HailCoreFiles *
hail_core_files_new (HailEngine *engine)
{
  HailCoreFiles *self;

  g_return_val_if_fail (HAIL_IS_ENGINE (engine), NULL);

  self = g_object_new (HAIL_TYPE_CORE_FILES, NULL);
  self->engine = engine;
  return self;
}

void
hail_core_files_watch_chat (HailCoreFiles *self,
                            HailChat      *chat,
                            HailStore     *store)
{
  g_return_if_fail (HAIL_IS_CORE_FILES (self));
  g_return_if_fail (HAIL_IS_CHAT (chat));
  g_return_if_fail (store == NULL || HAIL_IS_STORE (store));

  if (store != NULL)
    g_object_set_data_full (G_OBJECT (chat), "hail-core-files-store", g_object_ref (store),
                            g_object_unref);
  g_signal_connect_object (chat, "transfer-added", G_CALLBACK (transfer_added_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (chat, "session-offer", G_CALLBACK (session_offer_cb), self, 0);
}

void
hail_core_files_send_async (HailCoreFiles       *self,
                            HailChat            *chat,
                            const char          *remote,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SendOp *op;

  g_return_if_fail (HAIL_IS_CORE_FILES (self));
  g_return_if_fail (HAIL_IS_CHAT (chat));
  g_return_if_fail (G_IS_FILE (file));

  op = g_new0 (SendOp, 1);
  op->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (op->task, hail_core_files_send_async);
  op->remote = g_strdup (remote);
  op->file = g_object_ref (file);
  g_ptr_array_add (self->sending, op);
  /* Not the window's cancellable: closing the conversation does not stop
   * the file; its row's Cancel does. */
  hail_chat_send_file_async (chat, remote, file, NULL, sent_cb, op);
}

gboolean
hail_core_files_send_finish (HailCoreFiles  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
retried_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailCoreFiles *self = g_task_get_source_object (task);
  g_autoptr(HailChatTransfer) transfer = NULL;
  HailTransferView *view;
  GError *error = NULL;
  gint64 id;

  transfer = hail_chat_retry_file_finish (HAIL_CHAT (source), result, &error);
  if (transfer == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* "transfer-added" wrapped it already, under its row. */
  id = hail_chat_transfer_get_id (transfer);
  view = g_hash_table_lookup (self->transfers, &id);
  if (view != NULL)
    g_task_return_pointer (task, g_object_ref (view), g_object_unref);
  else
    g_task_return_pointer (task, hail_core_transfer_new (transfer), g_object_unref);
}

void
hail_core_files_retry_async (HailCoreFiles       *self,
                             HailChat            *chat,
                             gint64               message_id,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HAIL_IS_CORE_FILES (self));
  g_return_if_fail (HAIL_IS_CHAT (chat));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_core_files_retry_async);
  /* As for a new file, not the window's cancellable: the core's would
   * stop the transfer itself, which only its row's Cancel does. */
  hail_chat_retry_file_async (chat, message_id, NULL, retried_cb, g_steal_pointer (&task));
}

HailTransferView *
hail_core_files_retry_finish (HailCoreFiles  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

HailTransferView *
hail_core_files_lookup (HailCoreFiles *self,
                        gint64         message_id)
{
  g_return_val_if_fail (HAIL_IS_CORE_FILES (self), NULL);

  return g_hash_table_lookup (self->transfers, &message_id);
}

GPtrArray *
hail_core_files_dup_offers (HailCoreFiles *self)
{
  GPtrArray *offers = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (HAIL_IS_CORE_FILES (self), NULL);

  for (guint i = 0; i < self->offers->len; i++)
    g_ptr_array_add (offers, g_object_ref (g_ptr_array_index (self->offers, i)));
  return offers;
}
