/* test-transfer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-transfer.h"

static void test_transfer_iface_init (HailTransferViewInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestTransfer, test_transfer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_TRANSFER_VIEW,
                                                      test_transfer_iface_init))

static void
test_transfer_cancel (HailTransferView *view)
{
  TestTransfer *self = TEST_TRANSFER (view);

  self->cancels++;
  test_transfer_progress (self, self->done, HAIL_TRANSFER_VIEW_STATE_CANCELLED, NULL);
}

static void
test_transfer_retry_async (HailTransferView    *view,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  TestTransfer *self = TEST_TRANSFER (view);
  g_autoptr(GTask) task = g_task_new (view, cancellable, callback, user_data);

  self->retries++;
  self->unsupported = FALSE;
  test_transfer_progress (self, self->done, HAIL_TRANSFER_VIEW_STATE_PREPARING, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
test_transfer_retry_finish (HailTransferView  *view,
                            GAsyncResult      *result,
                            GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_transfer_iface_init (HailTransferViewInterface *iface)
{
  iface->cancel = test_transfer_cancel;
  iface->retry_async = test_transfer_retry_async;
  iface->retry_finish = test_transfer_retry_finish;
}

static void
test_transfer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TestTransfer *self = TEST_TRANSFER (object);

  switch (prop_id - 1)
    {
    case HAIL_TRANSFER_VIEW_PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case HAIL_TRANSFER_VIEW_PROP_REMOTE:
      g_value_set_string (value, self->remote);
      break;
    case HAIL_TRANSFER_VIEW_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case HAIL_TRANSFER_VIEW_PROP_SIZE:
      g_value_set_uint64 (value, self->size);
      break;
    case HAIL_TRANSFER_VIEW_PROP_DONE:
      g_value_set_uint64 (value, self->done);
      break;
    case HAIL_TRANSFER_VIEW_PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case HAIL_TRANSFER_VIEW_PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case HAIL_TRANSFER_VIEW_PROP_OUTGOING:
      g_value_set_boolean (value, self->outgoing);
      break;
    case HAIL_TRANSFER_VIEW_PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case HAIL_TRANSFER_VIEW_PROP_UNSUPPORTED:
      g_value_set_boolean (value, self->unsupported);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
test_transfer_finalize (GObject *object)
{
  TestTransfer *self = TEST_TRANSFER (object);

  g_free (self->remote);
  g_free (self->name);
  g_free (self->reason);
  g_clear_object (&self->file);

  G_OBJECT_CLASS (test_transfer_parent_class)->finalize (object);
}

static void
test_transfer_class_init (TestTransferClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = test_transfer_get_property;
  object_class->finalize = test_transfer_finalize;
  /* Ids from 1: 0 is not a property id. */
  hail_transfer_view_override_properties (object_class, 1);
}

static void
test_transfer_init (TestTransfer *self)
{
}

TestTransfer *
test_transfer_new (gint64      id,
                   const char *remote,
                   GFile      *file,
                   guint64     size,
                   gboolean    outgoing)
{
  TestTransfer *self = g_object_new (TEST_TYPE_TRANSFER, NULL);

  self->id = id;
  self->remote = g_strdup (remote);
  self->name = g_file_get_basename (file);
  self->file = g_object_ref (file);
  self->size = size;
  self->outgoing = outgoing;
  self->state = HAIL_TRANSFER_VIEW_STATE_CONNECTING;
  return self;
}

void
test_transfer_progress (TestTransfer          *self,
                        guint64                done,
                        HailTransferViewState  state,
                        const char            *reason)
{
  self->done = done;
  self->state = state;
  g_free (self->reason);
  self->reason = g_strdup (reason);
  g_object_notify (G_OBJECT (self), "done");
  g_object_notify (G_OBJECT (self), "state");
  g_object_notify (G_OBJECT (self), "reason");
}

void
test_transfer_fail_unsupported (TestTransfer *self)
{
  self->unsupported = TRUE;
  g_object_notify (G_OBJECT (self), "unsupported");
  test_transfer_progress (self, 0, HAIL_TRANSFER_VIEW_STATE_FAILED,
                          "the other side's app cannot take this file");
}
