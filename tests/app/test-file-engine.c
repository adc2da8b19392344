/* test-file-engine.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-file-engine.h"

static void test_file_engine_iface_init (HailEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestFileEngine, test_file_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (HAIL_TYPE_ENGINE,
                                                      test_file_engine_iface_init))

static gboolean
test_file_engine_is_available (HailEngine *engine)
{
  return TRUE;
}

static void
test_file_engine_send_file_async (HailEngine          *engine,
                                  const char          *account,
                                  const char          *remote,
                                  GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_ptr_array_add (TEST_FILE_ENGINE (engine)->sent, g_object_ref (file));
  g_task_return_boolean (task, TRUE);
}

static void
core_retried_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  HailTransferView *view = hail_core_files_retry_finish (HAIL_CORE_FILES (source), result,
                                                         &error);

  if (view != NULL)
    g_task_return_pointer (task, view, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
test_file_engine_retry_file_async (HailEngine          *engine,
                                   gint64               message_id,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  TestFileEngine *self = TEST_FILE_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  if (self->files == NULL)
    {
      g_task_return_new_error (task, HAIL_ENGINE_ERROR, HAIL_ENGINE_ERROR_UNAVAILABLE,
                               "No file is sent again here");
      return;
    }
  hail_core_files_retry_async (self->files, self->chat, message_id, cancellable,
                               core_retried_cb, g_steal_pointer (&task));
}

static HailTransferView *
test_file_engine_retry_file_finish (HailEngine    *engine,
                                    GAsyncResult  *result,
                                    GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
copy_object (gconstpointer object,
             gpointer      user_data)
{
  return g_object_ref ((gpointer) object);
}

static HailTransferView *
test_file_engine_lookup_transfer (HailEngine *engine,
                                  gint64      message_id)
{
  return g_hash_table_lookup (TEST_FILE_ENGINE (engine)->transfers, &message_id);
}

static GPtrArray *
test_file_engine_dup_offers (HailEngine *engine)
{
  GPtrArray *offers = g_ptr_array_copy (TEST_FILE_ENGINE (engine)->offers, copy_object, NULL);

  g_ptr_array_set_free_func (offers, g_object_unref);
  return offers;
}

static void
test_file_engine_iface_init (HailEngineInterface *iface)
{
  iface->is_available = test_file_engine_is_available;
  iface->send_file_async = test_file_engine_send_file_async;
  iface->lookup_transfer = test_file_engine_lookup_transfer;
  iface->dup_offers = test_file_engine_dup_offers;
  iface->retry_file_async = test_file_engine_retry_file_async;
  iface->retry_file_finish = test_file_engine_retry_file_finish;
}

static void
test_file_engine_finalize (GObject *object)
{
  TestFileEngine *self = TEST_FILE_ENGINE (object);

  g_ptr_array_unref (self->sent);
  g_ptr_array_unref (self->offers);
  g_hash_table_unref (self->transfers);
  g_clear_object (&self->files);
  g_clear_object (&self->chat);
  G_OBJECT_CLASS (test_file_engine_parent_class)->finalize (object);
}

static void
test_file_engine_class_init (TestFileEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_file_engine_finalize;
}

static void
test_file_engine_init (TestFileEngine *self)
{
  self->sent = g_ptr_array_new_with_free_func (g_object_unref);
  self->offers = g_ptr_array_new_with_free_func (g_object_unref);
  self->transfers = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

/* The transfer shown for the stored message @transfer->id. */
void
test_file_engine_add_transfer (TestFileEngine *self,
                               TestTransfer   *transfer)
{
  g_hash_table_insert (self->transfers, g_memdup2 (&transfer->id, sizeof (gint64)),
                       g_object_ref (transfer));
  g_signal_emit_by_name (self, "transfer-added", transfer);
}
