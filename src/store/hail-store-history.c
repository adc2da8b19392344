/* hail-store-history.c: HailStore's calls and contacts operations.
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store.h"

#include "hail-store-private.h"

/* Calls. */

static gboolean
run_add_call (HailStoreJob  *job,
              HailStoreDb   *db,
              GError       **error)
{
  job->result = G_OBJECT (_hail_store_db_add_call (db, HAIL_STORE_CALL (job->draft), error));
  return job->result != NULL;
}

static void
add_call_done (HailStore    *self,
               HailStoreJob *job,
               GTask        *task)
{
  _hail_store_emit_call (self, HAIL_STORE_CALL (job->result));
  g_task_return_int (task, hail_store_call_get_id (HAIL_STORE_CALL (job->result)));
}

void
hail_store_add_call_async (HailStore           *self,
                           HailStoreCall       *draft,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (HAIL_IS_STORE_CALL (draft));

  job = _hail_store_job_new (run_add_call, add_call_done);
  job->batchable = TRUE;
  job->draft = G_OBJECT (g_object_ref (draft));
  _hail_store_queue (self, job, hail_store_add_call_async, cancellable, callback, user_data);
}

gint64
hail_store_add_call_finish (HailStore     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  return _hail_store_propagate_id (result, error);
}

static gboolean
run_answer_call (HailStoreJob  *job,
                 HailStoreDb   *db,
                 GError       **error)
{
  job->result = G_OBJECT (_hail_store_db_answer_call (db, job->id, job->when, error));
  return job->result != NULL;
}

static void
call_changed_done (HailStore    *self,
                   HailStoreJob *job,
                   GTask        *task)
{
  _hail_store_emit_call (self, HAIL_STORE_CALL (job->result));
  g_task_return_boolean (task, TRUE);
}

void
hail_store_answer_call_async (HailStore           *self,
                              gint64               id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));

  job = _hail_store_write_job (run_answer_call, call_changed_done, id);
  /* The time is taken when queued, not when the worker gets to it. */
  job->when = g_get_real_time ();
  _hail_store_queue (self, job, hail_store_answer_call_async, cancellable, callback, user_data);
}

static gboolean
run_end_call (HailStoreJob  *job,
              HailStoreDb   *db,
              GError       **error)
{
  job->result = G_OBJECT (_hail_store_db_end_call (db, job->id, job->when, job->status,
                                                   job->text, error));
  return job->result != NULL;
}

static void
end_call_done (HailStore    *self,
               HailStoreJob *job,
               GTask        *task)
{
  _hail_store_emit_call (self, HAIL_STORE_CALL (job->result));
  _hail_store_return_result (self, job, task);
}

void
hail_store_end_call_async (HailStore           *self,
                           gint64               id,
                           guint                status,
                           const char          *reason,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));

  job = _hail_store_write_job (run_end_call, end_call_done, id);
  job->when = g_get_real_time ();
  job->status = status;
  job->text = g_strdup (reason);
  _hail_store_queue (self, job, hail_store_end_call_async, cancellable, callback, user_data);
}

HailStoreCall *
hail_store_end_call_finish (HailStore     *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
run_list_calls (HailStoreJob  *job,
                HailStoreDb   *db,
                GError       **error)
{
  job->rows = _hail_store_db_list_calls (db, job->number, error);
  return job->rows != NULL;
}

static HailStoreJob *
list_calls_job (guint limit)
{
  HailStoreJob *job = _hail_store_rows_job (run_list_calls, HAIL_TYPE_STORE_CALL);

  job->number = limit;
  return job;
}

void
hail_store_list_calls_async (HailStore           *self,
                             guint                limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));

  _hail_store_queue (self, list_calls_job (limit), hail_store_list_calls_async, cancellable,
                     callback, user_data);
}

GListModel *
hail_store_list_calls_finish (HailStore     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GListModel *
hail_store_list_calls_sync (HailStore  *self,
                            guint       limit,
                            GError    **error)
{
  g_return_val_if_fail (HAIL_IS_STORE (self), NULL);

  return _hail_store_rows_sync (self, list_calls_job (limit), error);
}

/* Contacts. */

static gboolean
run_import_vcard (HailStoreJob  *job,
                  HailStoreDb   *db,
                  GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GPtrArray) cards = NULL;
  g_autofree char *data = NULL;
  gsize len = 0;

  /* File I/O happens here too: the worker is the only thread that may
   * block. The size is checked before anything is read. */
  info = g_file_query_info (job->file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            job->cancellable, error);
  if (info == NULL)
    return FALSE;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR ||
      g_file_info_get_size (info) > HAIL_STORE_MAX_VCARD_FILE)
    {
      g_set_error (error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                   "The vCard file is not a regular file of at most %d bytes",
                   HAIL_STORE_MAX_VCARD_FILE);
      return FALSE;
    }
  if (!g_file_load_contents (job->file, job->cancellable, &data, &len, NULL, error))
    return FALSE;
  cards = _hail_store_vcard_parse (data, len, error);
  if (cards == NULL)
    return FALSE;
  return _hail_store_db_import_contacts (db, cards, &job->count, error);
}

static void
import_vcard_done (HailStore    *self,
                   HailStoreJob *job,
                   GTask        *task)
{
  g_task_return_int (task, job->count);
}

static HailStoreJob *
import_job (GFile *file)
{
  HailStoreJob *job = _hail_store_job_new (run_import_vcard, import_vcard_done);

  job->file = g_object_ref (file);
  return job;
}

void
hail_store_import_vcard_async (HailStore           *self,
                               GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (G_IS_FILE (file));

  _hail_store_queue (self, import_job (file), hail_store_import_vcard_async, cancellable,
                     callback, user_data);
}

gboolean
hail_store_import_vcard_finish (HailStore     *self,
                                GAsyncResult  *result,
                                guint         *n_imported,
                                GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize count;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  count = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (n_imported != NULL)
    *n_imported = (guint) count;
  return TRUE;
}

gboolean
hail_store_import_vcard_sync (HailStore  *self,
                              GFile      *file,
                              guint      *n_imported,
                              GError    **error)
{
  g_autoptr(HailStoreJob) job = NULL;

  g_return_val_if_fail (HAIL_IS_STORE (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  job = _hail_store_run_sync (self, import_job (file));
  if (!job->ok)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  if (n_imported != NULL)
    *n_imported = job->count;
  return TRUE;
}

static gboolean
run_list_contacts (HailStoreJob  *job,
                   HailStoreDb   *db,
                   GError       **error)
{
  job->rows = _hail_store_db_list_contacts (db, error);
  return job->rows != NULL;
}

static HailStoreJob *
list_contacts_job (void)
{
  return _hail_store_rows_job (run_list_contacts, HAIL_TYPE_STORE_CONTACT);
}

void
hail_store_list_contacts_async (HailStore           *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));

  _hail_store_queue (self, list_contacts_job (), hail_store_list_contacts_async, cancellable,
                     callback, user_data);
}

GListModel *
hail_store_list_contacts_finish (HailStore     *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GListModel *
hail_store_list_contacts_sync (HailStore  *self,
                               GError    **error)
{
  g_return_val_if_fail (HAIL_IS_STORE (self), NULL);

  return _hail_store_rows_sync (self, list_contacts_job (), error);
}

static gboolean
run_find_contact (HailStoreJob  *job,
                  HailStoreDb   *db,
                  GError       **error)
{
  job->result = G_OBJECT (_hail_store_db_find_contact (db, job->text, error));
  return job->result != NULL;
}

void
hail_store_find_contact_async (HailStore           *self,
                               const char          *address,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));
  g_return_if_fail (address != NULL);

  job = _hail_store_job_new (run_find_contact, _hail_store_return_result);
  job->text = g_strdup (address);
  _hail_store_queue (self, job, hail_store_find_contact_async, cancellable, callback, user_data);
}

HailStoreContact *
hail_store_find_contact_finish (HailStore     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
run_delete_contact (HailStoreJob  *job,
                    HailStoreDb   *db,
                    GError       **error)
{
  return _hail_store_db_delete_contact (db, job->id, error);
}

void
hail_store_delete_contact_async (HailStore           *self,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  HailStoreJob *job;

  g_return_if_fail (HAIL_IS_STORE (self));

  job = _hail_store_job_new (run_delete_contact, _hail_store_return_true);
  job->id = id;
  _hail_store_queue (self, job, hail_store_delete_contact_async, cancellable, callback,
                     user_data);
}
