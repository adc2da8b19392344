/* hail-core-transfer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-core-transfer.h"

struct _HailCoreTransfer {
  GObject parent_instance;

  /* owned references */
  HailChatTransfer *transfer;
};

static void hail_core_transfer_iface_init (HailTransferViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HailCoreTransfer, hail_core_transfer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_TRANSFER_VIEW,
                                                      hail_core_transfer_iface_init))

static HailTransferViewState
view_state (HailChatTransferState state)
{
  switch (state)
    {
    case HAIL_CHAT_TRANSFER_PREPARING:
      return HAIL_TRANSFER_VIEW_STATE_PREPARING;
    case HAIL_CHAT_TRANSFER_CONNECTING:
      return HAIL_TRANSFER_VIEW_STATE_CONNECTING;
    case HAIL_CHAT_TRANSFER_ACTIVE:
      return HAIL_TRANSFER_VIEW_STATE_ACTIVE;
    case HAIL_CHAT_TRANSFER_DONE:
      return HAIL_TRANSFER_VIEW_STATE_DONE;
    case HAIL_CHAT_TRANSFER_DECLINED:
      return HAIL_TRANSFER_VIEW_STATE_DECLINED;
    case HAIL_CHAT_TRANSFER_CANCELLED:
      return HAIL_TRANSFER_VIEW_STATE_CANCELLED;
    case HAIL_CHAT_TRANSFER_FAILED:
    default:
      return HAIL_TRANSFER_VIEW_STATE_FAILED;
    }
}

static void
hail_core_transfer_cancel (HailTransferView *view)
{
  hail_chat_transfer_cancel (HAIL_CORE_TRANSFER (view)->transfer);
}

static void
retried_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (hail_chat_transfer_retry_finish (HAIL_CHAT_TRANSFER (source), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
hail_core_transfer_retry_async (HailTransferView    *view,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task = g_task_new (view, cancellable, callback, user_data);

  hail_chat_transfer_retry_async (HAIL_CORE_TRANSFER (view)->transfer, cancellable,
                                  retried_cb, task);
}

static gboolean
hail_core_transfer_retry_finish (HailTransferView  *view,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
hail_core_transfer_iface_init (HailTransferViewInterface *iface)
{
  iface->cancel = hail_core_transfer_cancel;
  iface->retry_async = hail_core_transfer_retry_async;
  iface->retry_finish = hail_core_transfer_retry_finish;
}

/* The core's notifications become the view's, under the same names; its
 * hashing progress is the view's "done" while PREPARING, and a failure
 * may change "unsupported". */
static void
forward_notify_cb (HailCoreTransfer *self,
                   GParamSpec       *pspec)
{
  if (g_str_equal (pspec->name, "hashed"))
    {
      if (hail_chat_transfer_get_state (self->transfer) == HAIL_CHAT_TRANSFER_PREPARING)
        g_object_notify (G_OBJECT (self), "done");
      return;
    }
  if (g_str_equal (pspec->name, "state"))
    g_object_notify (G_OBJECT (self), "unsupported");
  if (g_object_class_find_property (G_OBJECT_GET_CLASS (self), pspec->name) != NULL)
    g_object_notify (G_OBJECT (self), pspec->name);
}

static void
hail_core_transfer_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HailChatTransfer *transfer = HAIL_CORE_TRANSFER (object)->transfer;

  switch (prop_id - 1)
    {
    case HAIL_TRANSFER_VIEW_PROP_ID:
      g_value_set_int64 (value, hail_chat_transfer_get_id (transfer));
      break;
    case HAIL_TRANSFER_VIEW_PROP_REMOTE:
      g_value_set_string (value, hail_chat_transfer_get_remote (transfer));
      break;
    case HAIL_TRANSFER_VIEW_PROP_NAME:
      g_value_set_string (value, hail_chat_transfer_get_name (transfer));
      break;
    case HAIL_TRANSFER_VIEW_PROP_SIZE:
      g_value_set_uint64 (value, hail_chat_transfer_get_size (transfer));
      break;
    case HAIL_TRANSFER_VIEW_PROP_DONE:
      if (hail_chat_transfer_get_state (transfer) == HAIL_CHAT_TRANSFER_PREPARING)
        g_value_set_uint64 (value, hail_chat_transfer_get_hashed (transfer));
      else
        g_value_set_uint64 (value, hail_chat_transfer_get_done (transfer));
      break;
    case HAIL_TRANSFER_VIEW_PROP_STATE:
      g_value_set_enum (value, view_state (hail_chat_transfer_get_state (transfer)));
      break;
    case HAIL_TRANSFER_VIEW_PROP_REASON:
      g_value_set_string (value, hail_chat_transfer_get_reason (transfer));
      break;
    case HAIL_TRANSFER_VIEW_PROP_OUTGOING:
      g_value_set_boolean (value, hail_chat_transfer_is_outgoing (transfer));
      break;
    case HAIL_TRANSFER_VIEW_PROP_FILE:
      g_value_set_object (value, hail_chat_transfer_get_file (transfer));
      break;
    case HAIL_TRANSFER_VIEW_PROP_UNSUPPORTED:
      g_value_set_boolean (value, hail_chat_transfer_is_unsupported (transfer));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_core_transfer_dispose (GObject *object)
{
  HailCoreTransfer *self = HAIL_CORE_TRANSFER (object);

  if (self->transfer != NULL)
    g_signal_handlers_disconnect_by_data (self->transfer, self);
  g_clear_object (&self->transfer);

  G_OBJECT_CLASS (hail_core_transfer_parent_class)->dispose (object);
}

static void
hail_core_transfer_class_init (HailCoreTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_core_transfer_get_property;
  object_class->dispose = hail_core_transfer_dispose;
  /* Ids from 1: 0 is not a property id. */
  hail_transfer_view_override_properties (object_class, 1);
}

static void
hail_core_transfer_init (HailCoreTransfer *self)
{
}

HailCoreTransfer *
hail_core_transfer_new (HailChatTransfer *transfer)
{
  HailCoreTransfer *self;

  g_return_val_if_fail (HAIL_IS_CHAT_TRANSFER (transfer), NULL);

  self = g_object_new (HAIL_TYPE_CORE_TRANSFER, NULL);
  self->transfer = g_object_ref (transfer);
  g_signal_connect_swapped (transfer, "notify", G_CALLBACK (forward_notify_cb), self);
  return self;
}
