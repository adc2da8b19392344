/* hail-store.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-store.h"

#include "hail-store-private.h"

enum {
  PROP_0,
  PROP_PATH,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE_ADDED,
  SIGNAL_MESSAGE_CHANGED,
  SIGNAL_CONVERSATION_CHANGED,
  SIGNAL_CONVERSATION_REMOVED,
  SIGNAL_CALL_CHANGED,
  N_SIGNALS
};

/* Finished jobs on their way back to the store's main context. They queue
 * here and one idle at a time drains them, so a burst of completions costs
 * one source and one wakeup of the main loop rather than one each.
 * Refcounted (g_atomic_rc_box): the store and a pending drain hold it. */
typedef struct {
  GMutex        mutex;
  GQueue        jobs;      /* HailStoreJob, in the worker's order */
  GMainContext *context;
} Outbox;

/* What the worker thread owns; the main thread never reads it (it only
 * pushes to the queue, and frees it all after joining the thread). */
typedef struct {
  GAsyncQueue *queue;      /* HailStoreJob */
  HailStoreDb *db;
  char        *path;
  Outbox      *outbox;     /* borrowed from the store */
} Worker;

struct _HailStore
{
  GObject      parent_instance;

  /* Owned. */
  char        *path;
  GThread     *thread;   /* the worker: the only user of the sqlite3 handle */
  Worker      *worker;
  Outbox      *outbox;
};

G_DEFINE_FINAL_TYPE (HailStore, hail_store, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

HailStoreJob *
_hail_store_job_new (HailStoreJobRun  run,
                     HailStoreJobDone done)
{
  HailStoreJob *job = g_new0 (HailStoreJob, 1);

  job->run = run;
  job->done = done;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);
  return job;
}

void
_hail_store_job_free (HailStoreJob *job)
{
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_free (job->text);
  g_clear_object (&job->draft);
  g_clear_object (&job->file);
  g_clear_error (&job->error);
  g_clear_object (&job->result);
  g_clear_object (&job->extra);
  g_clear_pointer (&job->rows, g_ptr_array_unref);
  g_mutex_clear (&job->mutex);
  g_cond_clear (&job->cond);
  g_free (job);
}

static gboolean
job_complete_cb (gpointer data)
{
  HailStoreJob *job = data;
  HailStore *self = g_task_get_source_object (job->task);

  if (job->ok)
    job->done (self, job, job->task);
  else
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  _hail_store_job_free (job);
  return G_SOURCE_REMOVE;
}

static void
outbox_clear (gpointer data)
{
  Outbox *outbox = data;

  /* Every queued job holds a reference to the store through its task, so
   * the store (and with it the last reference) outlives them all. */
  g_assert (g_queue_is_empty (&outbox->jobs));
  g_mutex_clear (&outbox->mutex);
  g_main_context_unref (outbox->context);
}

static void
outbox_release (gpointer data)
{
  g_atomic_rc_box_release_full (data, outbox_clear);
}

static gboolean
outbox_drain_cb (gpointer data)
{
  Outbox *outbox = data;
  HailStoreJob *job;

  for (;;)
    {
      g_mutex_lock (&outbox->mutex);
      job = g_queue_pop_head (&outbox->jobs);
      g_mutex_unlock (&outbox->mutex);
      if (job == NULL)
        break;
      job_complete_cb (job);
    }
  return G_SOURCE_REMOVE;
}

/* Worker thread: runs @func in @context's own thread. Not
 * g_main_context_invoke_full(): when nobody iterates the global default
 * context at that moment (its thread is blocked in a _sync call, or a test
 * is between iterations), that acquires it and runs @func right here, on
 * the worker, so signals and callbacks would race the main thread. */
static void
dispatch_in (GMainContext   *context,
             GSourceFunc     func,
             gpointer        data,
             GDestroyNotify  notify)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_set_static_name (source, "[hail] store completion");
  g_source_attach (source, context);
}

/* Worker thread: hands a finished job to its caller's context. */
static void
outbox_push (Outbox       *outbox,
             HailStoreJob *job)
{
  gboolean was_empty;

  if (job->context != outbox->context)
    {
      dispatch_in (job->context, job_complete_cb, job, NULL);
      return;
    }

  g_mutex_lock (&outbox->mutex);
  was_empty = g_queue_is_empty (&outbox->jobs);
  g_queue_push_tail (&outbox->jobs, job);
  g_mutex_unlock (&outbox->mutex);
  /* A non-empty queue already has a drain on its way (or running, and it
   * loops until the queue is empty). */
  if (was_empty)
    dispatch_in (outbox->context, outbox_drain_cb, g_atomic_rc_box_acquire (outbox),
                 outbox_release);
}

/* Open, close and quit are markers: the worker itself handles them. */
static gboolean
run_open (HailStoreJob  *job,
          HailStoreDb   *db,
          GError       **error)
{
  g_assert_not_reached ();
  return FALSE;
}

static gboolean
run_close (HailStoreJob  *job,
           HailStoreDb   *db,
           GError       **error)
{
  g_assert_not_reached ();
  return FALSE;
}

static gboolean
run_quit (HailStoreJob  *job,
          HailStoreDb   *db,
          GError       **error)
{
  g_assert_not_reached ();
  return FALSE;
}

/* Hands a job back: to its caller's context, or wakes a blocked caller.
 * After this the worker must not touch the job again. */
static void
finish_job (Worker       *worker,
            HailStoreJob *job)
{
  if (job->task != NULL)
    {
      outbox_push (worker->outbox, job);
    }
  else
    {
      g_mutex_lock (&job->mutex);
      job->finished = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
    }
}

static void
run_job (Worker       *worker,
         HailStoreJob *job)
{
  if (job->cancellable != NULL &&
      g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    {
      job->ok = FALSE;
    }
  else if (job->run == run_open)
    {
      worker->db = _hail_store_db_open (worker->path, &job->error);
      job->ok = worker->db != NULL;
    }
  else if (job->run == run_close)
    {
      g_clear_pointer (&worker->db, _hail_store_db_close);
      job->ok = TRUE;
    }
  else if (worker->db == NULL)
    {
      g_set_error (&job->error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_CLOSED,
                   "The history database %s is closed", worker->path);
      job->ok = FALSE;
    }
  else
    {
      job->ok = job->run (job, worker->db, &job->error);
    }

  /* The caller's GTask needs an error to return: a failure that set none
   * is a bug (it was a row id of 0 read from a damaged file), said loudly,
   * yet still a failure with a reason for the caller. */
  if (!job->ok && job->error == NULL)
    {
      g_warning ("A job on the history database %s failed without an error", worker->path);
      g_set_error (&job->error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_FAILED,
                   "The history database %s failed without saying why", worker->path);
    }
}

/* Group commit: writes queued back to back share one transaction, each in
 * its own savepoint, so a burst costs one commit instead of one each. No
 * job is handed back before the COMMIT returned, and if it fails, every
 * job of the batch fails with it: an acknowledged write is on disk. */
static void
run_batch (Worker    *worker,
           GPtrArray *batch)
{
  g_autoptr(GError) error = NULL;

  g_debug ("Group commit of %u writes", batch->len);
  if (!_hail_store_db_begin (worker->db, &error))
    {
      for (guint i = 0; i < batch->len; i++)
        {
          HailStoreJob *job = batch->pdata[i];

          job->ok = FALSE;
          job->error = g_error_copy (error);
        }
      return;
    }
  for (guint i = 0; i < batch->len; i++)
    {
      HailStoreJob *job = batch->pdata[i];

      run_job (worker, job);
      /* A disk-full or I/O error can make SQLite roll back the whole batch
       * by itself: the jobs run so far are undone, and the rest must not
       * run outside a transaction. */
      if (_hail_store_db_transaction_lost (worker->db))
        {
          if (job->error != NULL)
            error = g_error_copy (job->error);
          else
            g_set_error (&error, HAIL_STORE_ERROR, HAIL_STORE_ERROR_FAILED,
                         "SQLite rolled back a batch of writes");
          goto fail;
        }
    }
  if (_hail_store_db_commit (worker->db, &error))
    return;

fail:
  for (guint i = 0; i < batch->len; i++)
    {
      HailStoreJob *job = batch->pdata[i];

      job->ok = FALSE;
      g_clear_error (&job->error);
      job->error = g_error_copy (error);
      g_clear_object (&job->result);
      g_clear_object (&job->extra);
      g_clear_pointer (&job->rows, g_ptr_array_unref);
    }
}

/* The worker thread: runs the jobs in queue order until told to quit. */
static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  HailStoreJob *job = NULL;

  for (;;)
    {
      if (job == NULL)
        job = g_async_queue_pop (worker->queue);
      if (job->run == run_quit)
        break;

      if (!job->batchable || worker->db == NULL)
        {
          run_job (worker, job);
          finish_job (worker, g_steal_pointer (&job));
          continue;
        }

      /* Take the writes already waiting, up to the bound; the first other
       * job stays in hand for the next turn. */
      g_ptr_array_add (batch, g_steal_pointer (&job));
      while (batch->len < HAIL_STORE_MAX_BATCH &&
             (job = g_async_queue_try_pop (worker->queue)) != NULL && job->batchable)
        {
          g_ptr_array_add (batch, g_steal_pointer (&job));
        }
      if (batch->len == 1)
        run_job (worker, batch->pdata[0]);
      else
        run_batch (worker, batch);
      for (guint i = 0; i < batch->len; i++)
        finish_job (worker, batch->pdata[i]);
      g_ptr_array_set_size (batch, 0);
    }

  g_clear_pointer (&worker->db, _hail_store_db_close);
  finish_job (worker, job);
  return NULL;
}

void
_hail_store_queue (HailStore           *self,
                   HailStoreJob        *job,
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  /* A write that ran is reported as done even if the caller cancelled in
   * the meantime: the worker checks the cancellable only before it starts. */
  g_task_set_check_cancellable (job->task, FALSE);
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->context = g_main_context_ref_thread_default ();
  g_async_queue_push (self->worker->queue, job);
}

HailStoreJob *
_hail_store_run_sync (HailStore    *self,
                      HailStoreJob *job)
{
  g_async_queue_push (self->worker->queue, job);
  g_mutex_lock (&job->mutex);
  while (!job->finished)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);
  return job;
}

GListModel *
_hail_store_rows_to_model (GType      item_type,
                           GPtrArray *rows)
{
  GListStore *store = g_list_store_new (item_type);

  g_list_store_splice (store, 0, 0, rows->pdata, rows->len);
  return G_LIST_MODEL (store);
}

void
_hail_store_return_rows (HailStore    *store,
                         HailStoreJob *job,
                         GTask        *task)
{
  g_task_return_pointer (task, _hail_store_rows_to_model (job->item_type, job->rows),
                         g_object_unref);
}

void
_hail_store_return_true (HailStore    *store,
                         HailStoreJob *job,
                         GTask        *task)
{
  g_task_return_boolean (task, TRUE);
}

/* Shared by the operation files (hail-store-messages.c, hail-store-history.c). */

/* A write to the row @id that may share the worker's group commit. */
HailStoreJob *
_hail_store_write_job (HailStoreJobRun  run,
                       HailStoreJobDone done,
                       gint64           id)
{
  HailStoreJob *job = _hail_store_job_new (run, done);

  job->batchable = TRUE;
  job->id = id;
  return job;
}

/* A done function returning the job's result object to the caller. */
void
_hail_store_return_result (HailStore    *store,
                           HailStoreJob *job,
                           GTask        *task)
{
  g_task_return_pointer (task, g_object_ref (job->result), g_object_unref);
}

/* Finishes an add: the new row's id, or 0 with @error set. */
gint64
_hail_store_propagate_id (GAsyncResult  *result,
                          GError       **error)
{
  gssize id = g_task_propagate_int (G_TASK (result), error);

  return id > 0 ? id : 0;
}

HailStoreJob *
_hail_store_rows_job (HailStoreJobRun run,
                      GType           item_type)
{
  HailStoreJob *job = _hail_store_job_new (run, _hail_store_return_rows);

  job->item_type = item_type;
  return job;
}

GListModel *
_hail_store_rows_sync (HailStore     *self,
                       HailStoreJob  *job,
                       GError       **error)
{
  g_autoptr(HailStoreJob) done = _hail_store_run_sync (self, job);

  if (!done->ok)
    {
      g_propagate_error (error, g_steal_pointer (&done->error));
      return NULL;
    }
  return _hail_store_rows_to_model (done->item_type, done->rows);
}

void
_hail_store_emit_message_added (HailStore        *self,
                                HailStoreMessage *message)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_ADDED], 0, message);
}

void
_hail_store_emit_message_changed (HailStore        *self,
                                  HailStoreMessage *message)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_CHANGED], 0, message);
}

void
_hail_store_emit_conversation_changed (HailStore             *self,
                                       HailStoreConversation *conversation)
{
  g_signal_emit (self, signals[SIGNAL_CONVERSATION_CHANGED], 0, conversation);
}

void
_hail_store_emit_conversation_removed (HailStore *self,
                                       gint64     id)
{
  g_signal_emit (self, signals[SIGNAL_CONVERSATION_REMOVED], 0, id);
}

void
_hail_store_emit_call (HailStore     *self,
                       HailStoreCall *call)
{
  g_signal_emit (self, signals[SIGNAL_CALL_CHANGED], 0, call);
}

static void
hail_store_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  HailStore *self = HAIL_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  HailStore *self = HAIL_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_store_constructed (GObject *object)
{
  HailStore *self = HAIL_STORE (object);

  G_OBJECT_CLASS (hail_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = hail_store_get_default_path ();
  self->outbox = g_atomic_rc_box_new0 (Outbox);
  g_mutex_init (&self->outbox->mutex);
  g_queue_init (&self->outbox->jobs);
  self->outbox->context = g_main_context_ref_thread_default ();
  self->worker = g_new0 (Worker, 1);
  self->worker->path = g_strdup (self->path);
  self->worker->outbox = self->outbox;
  self->worker->queue = g_async_queue_new ();
  /* One thread for the store's whole life: the sqlite3 handle never
   * changes threads. */
  self->thread = g_thread_new ("hail-store", worker_thread, self->worker);
}

static void
hail_store_dispose (GObject *object)
{
  HailStore *self = HAIL_STORE (object);

  /* Every queued job holds a reference to the store through its task, so
   * the queue holds only what is pushed here. */
  if (self->thread != NULL)
    {
      HailStoreJob *job = _hail_store_job_new (run_quit, NULL);

      _hail_store_job_free (_hail_store_run_sync (self, job));
      g_thread_join (g_steal_pointer (&self->thread));
    }
  if (self->worker != NULL)
    {
      g_async_queue_unref (self->worker->queue);
      g_free (self->worker->path);
      g_clear_pointer (&self->worker, g_free);
    }
  g_clear_pointer (&self->outbox, outbox_release);

  G_OBJECT_CLASS (hail_store_parent_class)->dispose (object);
}

static void
hail_store_finalize (GObject *object)
{
  HailStore *self = HAIL_STORE (object);

  g_free (self->path);

  G_OBJECT_CLASS (hail_store_parent_class)->finalize (object);
}

static void
hail_store_class_init (HailStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_store_get_property;
  object_class->set_property = hail_store_set_property;
  object_class->constructed = hail_store_constructed;
  object_class->dispose = hail_store_dispose;
  object_class->finalize = hail_store_finalize;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                         G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HailStore::message-added:
   * @message: a snapshot of the new row
   *
   * A message was stored (not emitted for a duplicate).
   */
  signals[SIGNAL_MESSAGE_ADDED] =
    g_signal_new ("message-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_STORE_MESSAGE);
  /**
   * HailStore::message-changed:
   * @message: a snapshot of the row after the change
   *
   * A message's state, status or reason changed.
   */
  signals[SIGNAL_MESSAGE_CHANGED] =
    g_signal_new ("message-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_STORE_MESSAGE);
  /**
   * HailStore::conversation-changed:
   * @conversation: a snapshot of the row, new or changed
   */
  signals[SIGNAL_CONVERSATION_CHANGED] =
    g_signal_new ("conversation-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_STORE_CONVERSATION);
  /**
   * HailStore::conversation-removed:
   * @id: the id of the deleted conversation
   */
  signals[SIGNAL_CONVERSATION_REMOVED] =
    g_signal_new ("conversation-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * HailStore::call-changed:
   * @call: a snapshot of the call row, new or changed
   */
  signals[SIGNAL_CALL_CHANGED] =
    g_signal_new ("call-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_STORE_CALL);
}

static void
hail_store_init (HailStore *self)
{
}

char *
hail_store_get_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "hail", "hail.db", NULL);
}

static void
open_done (HailStore    *self,
           HailStoreJob *job,
           GTask        *task)
{
  g_task_return_pointer (task, g_object_ref (self), g_object_unref);
}

void
hail_store_new_async (const char          *path,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(HailStore) self = g_object_new (HAIL_TYPE_STORE, "path", path, NULL);

  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  _hail_store_queue (self, _hail_store_job_new (run_open, open_done), hail_store_new_async,
                     cancellable, callback, user_data);
}

HailStore *
hail_store_new_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == hail_store_new_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

HailStore *
hail_store_new_sync (const char  *path,
                     GError     **error)
{
  g_autoptr(HailStore) self = g_object_new (HAIL_TYPE_STORE, "path", path, NULL);
  g_autoptr(HailStoreJob) job = _hail_store_run_sync (self, _hail_store_job_new (run_open, NULL));

  if (!job->ok)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
hail_store_get_path (HailStore *self)
{
  g_return_val_if_fail (HAIL_IS_STORE (self), NULL);

  return self->path;
}

void
hail_store_close_async (HailStore           *self,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));

  _hail_store_queue (self, _hail_store_job_new (run_close, _hail_store_return_true),
                     hail_store_close_async, cancellable, callback, user_data);
}

gboolean
hail_store_close_finish (HailStore     *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
