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

/* What the worker thread owns; the main thread never reads it. */
typedef struct {
  HailStoreDb *db;
  char        *path;
} Worker;

struct _HailStore
{
  GObject      parent_instance;

  /* Owned. */
  char        *path;
  GThreadPool *pool;     /* one exclusive thread: the only user of the sqlite3 handle */
  Worker      *worker;
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

/* Open and close are markers: the worker itself sets and clears its handle. */
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

/* The worker thread's loop body, one call per job in queue order. */
static void
worker_cb (gpointer data,
           gpointer user_data)
{
  HailStoreJob *job = data;
  Worker *worker = user_data;

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

  /* After this, the job belongs to the main context (or the blocked caller):
   * the worker must not touch it again. */
  if (job->task != NULL)
    {
      g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, job_complete_cb, job, NULL);
    }
  else
    {
      g_mutex_lock (&job->mutex);
      job->finished = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
    }
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
  g_thread_pool_push (self->pool, job, NULL);
}

HailStoreJob *
_hail_store_run_sync (HailStore    *self,
                      HailStoreJob *job)
{
  g_thread_pool_push (self->pool, job, NULL);
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
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (hail_store_parent_class)->constructed (object);

  if (self->path == NULL)
    self->path = hail_store_get_default_path ();
  self->worker = g_new0 (Worker, 1);
  self->worker->path = g_strdup (self->path);
  /* Exclusive: the pool keeps its one thread for the store's whole life,
   * so the sqlite3 handle never changes threads. */
  self->pool = g_thread_pool_new (worker_cb, self->worker, 1, TRUE, &error);
  if (self->pool == NULL)
    g_error ("Cannot start the history worker thread: %s", error->message);
}

static void
hail_store_dispose (GObject *object)
{
  HailStore *self = HAIL_STORE (object);

  /* Every queued job holds a reference to the store through its task, so
   * the queue holds only what is pushed here. */
  if (self->pool != NULL)
    {
      HailStoreJob *job = _hail_store_job_new (run_close, NULL);

      _hail_store_job_free (_hail_store_run_sync (self, job));
      g_thread_pool_free (g_steal_pointer (&self->pool), FALSE, TRUE);
    }
  if (self->worker != NULL)
    {
      g_free (self->worker->path);
      g_clear_pointer (&self->worker, g_free);
    }

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
    g_signal_emit (self, signals[SIGNAL_CONVERSATION_CHANGED], 0, job->extra);
  if (!job->flag)
    g_signal_emit (self, signals[SIGNAL_MESSAGE_ADDED], 0, job->result);
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
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return id > 0 ? id : 0;
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
  gssize id;

  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  if (duplicate != NULL)
    *duplicate = id > 0 && GPOINTER_TO_INT (g_task_get_task_data (G_TASK (result)));
  return id > 0 ? id : 0;
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
  g_signal_emit (self, signals[SIGNAL_MESSAGE_CHANGED], 0, job->result);
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

  job = _hail_store_job_new (run_set_message_state, set_message_state_done);
  job->id = id;
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

static HailStoreJob *
rows_job (HailStoreJobRun run,
          GType           item_type)
{
  HailStoreJob *job = _hail_store_job_new (run, _hail_store_return_rows);

  job->item_type = item_type;
  return job;
}

void
hail_store_list_pending_messages_async (HailStore           *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (HAIL_IS_STORE (self));

  _hail_store_queue (self, rows_job (run_list_pending, HAIL_TYPE_STORE_MESSAGE),
                     hail_store_list_pending_messages_async, cancellable, callback, user_data);
}

static HailStoreJob *
list_messages_job (gint64 conversation_id,
                   gint64 before_id,
                   guint  limit)
{
  HailStoreJob *job = rows_job (run_list_messages, HAIL_TYPE_STORE_MESSAGE);

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

  job = rows_job (run_search, HAIL_TYPE_STORE_MESSAGE);
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

  _hail_store_queue (self, rows_job (run_list_conversations, HAIL_TYPE_STORE_CONVERSATION),
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
  g_signal_emit (self, signals[SIGNAL_CONVERSATION_CHANGED], 0, job->result);
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

  job = _hail_store_job_new (run_update_conversation, update_conversation_done);
  job->id = id;
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

  job = _hail_store_job_new (run_update_conversation, update_conversation_done);
  job->id = id;
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
  g_signal_emit (self, signals[SIGNAL_CONVERSATION_REMOVED], 0, job->id);
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

  job = _hail_store_job_new (run_delete_conversation, delete_conversation_done);
  job->id = id;
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

static GListModel *
rows_sync (HailStore     *self,
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

GListModel *
hail_store_list_conversations_sync (HailStore  *self,
                                    GError    **error)
{
  g_return_val_if_fail (HAIL_IS_STORE (self), NULL);

  return rows_sync (self, rows_job (run_list_conversations, HAIL_TYPE_STORE_CONVERSATION), error);
}

GListModel *
hail_store_list_messages_sync (HailStore  *self,
                               gint64      conversation_id,
                               gint64      before_id,
                               guint       limit,
                               GError    **error)
{
  g_return_val_if_fail (HAIL_IS_STORE (self), NULL);

  return rows_sync (self, list_messages_job (conversation_id, before_id, limit), error);
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

  job = rows_job (run_search, HAIL_TYPE_STORE_MESSAGE);
  job->text = g_strdup (query);
  job->number = limit;
  return rows_sync (self, job, error);
}

/* For hail-store-history.c, which holds calls and contacts. */
GListModel *
_hail_store_rows_sync (HailStore     *self,
                       HailStoreJob  *job,
                       GError       **error)
{
  return rows_sync (self, job, error);
}
