/* hail-chat.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "Store, then send": the history never loses a message the user typed.
 * Each text is written QUEUED before any byte leaves; SENDING before the
 * transaction starts; SENT or FAILED (with the SIP status and reason)
 * when it ends. A run that dies in between leaves QUEUED or SENDING rows,
 * which the next run sends again with the same Call-ID and CSeq, so a
 * peer that got the first copy stores it once.
 */
#include "config.h"

#include "hail-chat-private.h"

#include "hail-sip-error.h"

#include <string.h>

G_DEFINE_FINAL_TYPE (HailChat, hail_chat, G_TYPE_OBJECT)

guint _hail_chat_signals[N_SIGNALS];

#define signals _hail_chat_signals

static void
composing_free (Composing *c)
{
  g_clear_handle_id (&c->idle_id, g_source_remove);
  g_clear_handle_id (&c->refresh_id, g_source_remove);
  g_free (c->remote);
  g_free (c);
}

static void
store_state_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_store_set_message_state_finish (HAIL_STORE (source), result, &error))
    g_debug ("Could not record a message's state: %s", error->message);
}

/* Records a state without waiting for it (the store's one worker keeps
 * the order of writes). */
void
_hail_chat_record_state (HailChat              *self,
                         gint64                 id,
                         HailStoreMessageState  state,
                         guint                  status,
                         const char            *reason)
{
  if (self->store == NULL || id == 0)
    return;
  hail_store_set_message_state_async (self->store, id, state, status, reason, NULL,
                                      store_state_cb, NULL);
  g_signal_emit (self, signals[SIGNAL_MESSAGE_STATE], 0, id, (guint) state, status, reason);
}

/* The words and status a failed send is stored with. */
char *
_hail_chat_describe (const GError *error,
                     guint         status,
                     guint        *report)
{
  if (error->domain == HAIL_SIP_STATUS_ERROR)
    {
      *report = (guint) error->code;
      return g_strdup (error->message);
    }
  return hail_sip_describe_failure (error, status, report);
}

static void
send_op_free (SendOp *op)
{
  g_free (op->to);
  g_clear_pointer (&op->body, g_bytes_unref);
  g_free (op->content_type);
  g_free (op->call_id);
  g_free (op->imdn_id);
  g_clear_error (&op->refused);
  g_clear_error (&op->error);
  g_free (op);
}

static void
final_state_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (!hail_store_set_message_state_finish (HAIL_STORE (source), result, &error))
    g_debug ("Could not record the outcome of message %" G_GINT64_FORMAT ": %s", op->id,
             error->message);
  if (op->error != NULL)
    g_task_return_error (task, g_steal_pointer (&op->error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Ends a send with @state: the store's write first, then the task (which
 * takes op->error when there is one). Takes @task. */
void
_hail_chat_finish_send (GTask                 *task,
                        HailStoreMessageState  state,
                        guint                  report,
                        const char            *reason)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);

  if (self->store == NULL || op->id == 0)
    {
      if (op->error != NULL)
        g_task_return_error (task, g_steal_pointer (&op->error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_MESSAGE_STATE], 0, op->id, (guint) state, report, reason);
  hail_store_set_message_state_async (self->store, op->id, state, report, reason, NULL,
                                      final_state_cb, task);
}

static void
stop_our_composing (HailChat   *self,
                    const char *to)
{
  /* RFC 3994 §3.2: a message sent ends the active state; no idle is
   * sent for it. */
  g_hash_table_remove (self->ours, to);
}

static void
start_send (GTask *task)
{
  HailChat *self = g_task_get_source_object (task);
  SendOp *op = g_task_get_task_data (task);

  /* Every send, a new text or one sent again, goes the way its size says. */
  op->mode = _hail_chat_needs_session (op->to, g_bytes_get_size (op->body))
             ? HAIL_STORE_MESSAGE_MODE_SESSION : HAIL_STORE_MESSAGE_MODE_PAGER;
  stop_our_composing (self, op->to);
  _hail_chat_record_state (self, op->id, HAIL_STORE_MESSAGE_STATE_SENDING, 0,
                           op->resent ? HAIL_CHAT_RESENT_REASON : NULL);
  if (op->mode == HAIL_STORE_MESSAGE_MODE_SESSION)
    _hail_chat_send_by_session (task);
  else
    _hail_chat_send_by_pager (task);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  SendOp *op = g_task_get_task_data (task);
  GError *error = NULL;

  op->id = hail_store_add_outgoing_message_finish (HAIL_STORE (source), result, &error);
  if (op->id == 0)
    {
      /* Nothing is sent that the history could not keep. */
      g_prefix_error (&error, "The message was not sent: the history could not store it: ");
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  start_send (task);
}

static gboolean
request_cb (HailAccount              *account,
            HailSipServerTransaction *txn,
            HailSipMessage           *request,
            HailChat                 *self)
{
  HailSipPagerIncoming *in;
  g_autoptr(GError) error = NULL;
  const HailSipNameAddr *to = hail_sip_message_get_to (request);

  for (guint i = 0; i < self->sessions->len; i++)
    if (hail_chat_session_handle_request (g_ptr_array_index (self->sessions, i), txn, request))
      return TRUE;
  if (txn != NULL && hail_sip_message_is_method (request, "INVITE")
      && (to == NULL || !hail_sip_span_present (to->tag)))
    {
      HailSipSpan body = hail_sip_message_get_body (request);
      g_autoptr(GBytes) sdp = g_bytes_new (body.ptr, body.len);

      if (!hail_msrp_sdp_is_message_session (sdp))
        return FALSE;
      _hail_chat_incoming_session (self, txn, request);
      return TRUE;
    }
  if (txn == NULL || !hail_sip_message_is_method (request, "MESSAGE"))
    return FALSE;
  in = hail_sip_pager_receive (hail_account_get_pager (self->account), txn, request, &error);
  if (in == NULL)
    return TRUE;   /* Answered with 400 or 415. */
  switch (in->kind)
    {
    case HAIL_SIP_PAGER_KIND_TEXT:
      _hail_chat_take_text (self, in, HAIL_STORE_MESSAGE_MODE_PAGER);
      return TRUE;
    case HAIL_SIP_PAGER_KIND_COMPOSING:
      _hail_chat_their_composing (self, in->from, in->composing->active, in->composing->refresh);
      break;
    case HAIL_SIP_PAGER_KIND_IMDN:
      _hail_chat_take_imdn (self, in);
      break;
    default:
      g_assert_not_reached ();
    }
  hail_sip_pager_incoming_free (in);
  return TRUE;
}

/* Our typing (RFC 3994 §3.2). */

static void
send_composing (HailChat   *self,
                const char *to,
                gboolean    active)
{
  g_autoptr(GBytes) body = hail_sip_iscomposing_write (active, self->refresh_ms / 1000);
  HailSipPagerOutgoing out = { .to = to, .content_type = HAIL_SIP_ISCOMPOSING_CONTENT_TYPE,
                               .body = body };

  hail_sip_pager_send_async (hail_account_get_pager (self->account), &out, self->cancellable,
                             _hail_chat_sent_notification_cb, NULL);
}

static gboolean
our_idle_cb (gpointer user_data)
{
  Composing *c = user_data;
  HailChat *self = c->chat;

  c->idle_id = 0;
  send_composing (self, c->remote, FALSE);
  g_hash_table_remove (self->ours, c->remote);
  return G_SOURCE_REMOVE;
}

static gboolean
our_refresh_cb (gpointer user_data)
{
  Composing *c = user_data;

  send_composing (c->chat, c->remote, TRUE);
  return G_SOURCE_CONTINUE;
}

static void
hail_chat_dispose (GObject *object)
{
  HailChat *self = HAIL_CHAT (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->request_id != 0 && self->account != NULL)
    g_signal_handler_disconnect (self->account, self->request_id);
  self->request_id = 0;
  if (self->waiting != NULL)
    {
      GHashTableIter iter;
      GPtrArray *tasks;

      /* Texts waiting for a session that will never open. */
      g_hash_table_iter_init (&iter, self->waiting);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &tasks))
        for (guint i = 0; i < tasks->len; i++)
          {
            GTask *task = g_ptr_array_index (tasks, i);

            g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                     "The chat was closed");
            g_object_unref (task);
          }
      g_clear_pointer (&self->waiting, g_hash_table_unref);
    }
  /* Offers nobody will answer now, and files that will not complete. */
  if (self->offers != NULL)
    {
      g_autoptr(GPtrArray) offers = g_steal_pointer (&self->offers);

      g_ptr_array_set_size (offers, 0);
    }
  _hail_chat_files_stop (self);
  g_clear_pointer (&self->partials, g_hash_table_unref);
  g_clear_object (&self->download_dir);
  if (self->sessions != NULL)
    {
      g_autoptr(GPtrArray) sessions = g_steal_pointer (&self->sessions);

      for (guint i = 0; i < sessions->len; i++)
        {
          HailChatSession *session = g_ptr_array_index (sessions, i);

          g_signal_handlers_disconnect_by_data (session, self);
          hail_chat_session_close (session);
        }
    }
  g_clear_pointer (&self->text_sessions, g_hash_table_unref);
  g_clear_pointer (&self->ours, g_hash_table_unref);
  g_clear_pointer (&self->theirs, g_hash_table_unref);
  g_clear_object (&self->account);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (hail_chat_parent_class)->dispose (object);
}

static void
hail_chat_finalize (GObject *object)
{
  HailChat *self = HAIL_CHAT (object);

  g_hash_table_unref (self->sent_imdn);
  g_hash_table_unref (self->want_display);
  g_queue_free (self->seen_order);
  g_hash_table_unref (self->seen);
  g_queue_free (self->recent_order);
  g_hash_table_unref (self->recent);
  g_hash_table_unref (self->resending);
  g_free (self->aor);

  G_OBJECT_CLASS (hail_chat_parent_class)->finalize (object);
}

static void
hail_chat_class_init (HailChatClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_chat_dispose;
  object_class->finalize = hail_chat_finalize;

  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_SESSION_OFFER] =
    g_signal_new ("session-offer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL, G_TYPE_BOOLEAN, 1,
                  HAIL_TYPE_CHAT_OFFER);
  signals[SIGNAL_FILE_PROGRESS] =
    g_signal_new ("file-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT64,
                  G_TYPE_INT64, G_TYPE_BOOLEAN);
  signals[SIGNAL_TRANSFER_ADDED] =
    g_signal_new ("transfer-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, HAIL_TYPE_CHAT_TRANSFER);
  signals[SIGNAL_COMPOSING] =
    g_signal_new ("composing", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_MESSAGE_STATE] =
    g_signal_new ("message-state", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_INT64, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_STRING);
}

static void
hail_chat_init (HailChat *self)
{
  self->cancellable = g_cancellable_new ();
  self->ours = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) composing_free);
  self->theirs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                        (GDestroyNotify) composing_free);
  self->sent_imdn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->want_display = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->seen_order = g_queue_new ();
  self->recent = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->recent_order = g_queue_new ();
  self->resending = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->idle_ms = HAIL_SIP_ISCOMPOSING_IDLE_S * 1000;
  self->refresh_ms = HAIL_SIP_ISCOMPOSING_REFRESH_S * 1000;
  self->sessions = g_ptr_array_new_with_free_func (g_object_unref);
  self->text_sessions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->max_file_size = HAIL_CHAT_DEFAULT_MAX_FILE_SIZE;
  self->session_idle_s = HAIL_CHAT_SESSION_IDLE_SECONDS;
  self->offers = g_ptr_array_new_with_free_func (_hail_chat_pending_free);
  self->receiving = g_hash_table_new_full (NULL, NULL, NULL,
                                           (GDestroyNotify) _hail_chat_incoming_file_free);
  self->offer_timeout_s = HAIL_CHAT_OFFER_TIMEOUT_SECONDS;
  self->partials = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
}

HailChat *
hail_chat_new (HailAccount *account,
               HailStore   *store)
{
  HailChat *self;

  g_return_val_if_fail (HAIL_IS_ACCOUNT (account), NULL);
  g_return_val_if_fail (store == NULL || HAIL_IS_STORE (store), NULL);

  self = g_object_new (HAIL_TYPE_CHAT, NULL);
  self->account = g_object_ref (account);
  self->store = store != NULL ? g_object_ref (store) : NULL;
  self->aor = g_strdup (hail_sip_uri_to_string (hail_account_get_aor (account)));
  self->request_id = g_signal_connect (account, "request", G_CALLBACK (request_cb), self);
  _hail_chat_remove_stale_parts (self);
  return self;
}

void
hail_chat_set_use_cpim (HailChat *self,
                        gboolean  use_cpim)
{
  g_return_if_fail (HAIL_IS_CHAT (self));

  self->use_cpim = !!use_cpim;
}

void
hail_chat_set_imdn (HailChat *self,
                    gboolean  imdn)
{
  g_return_if_fail (HAIL_IS_CHAT (self));

  self->imdn = !!imdn;
}

void
hail_chat_set_composing_timers (HailChat *self,
                                guint     idle_ms,
                                guint     refresh_ms)
{
  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (idle_ms > 0 && refresh_ms > 0);

  self->idle_ms = idle_ms;
  self->refresh_ms = refresh_ms;
}

void
hail_chat_send_async (HailChat            *self,
                      const char          *to,
                      const char          *text,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(HailSipUri) uri = NULL;
  g_autoptr(HailStoreMessage) draft = NULL;
  GError *error = NULL;
  SendOp *op;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (to != NULL && text != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_send_async);
  op = g_new0 (SendOp, 1);
  g_task_set_task_data (task, op, (GDestroyNotify) send_op_free);

  uri = hail_account_parse_peer (to, &error);
  if (uri == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!g_utf8_validate (text, -1, NULL))
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                               "The message is not valid UTF-8");
      return;
    }
  op->to = g_strdup (hail_sip_uri_to_string (uri));
  op->body = g_bytes_new (text, strlen (text));
  op->content_type = g_strdup (HAIL_SIP_PAGER_TEXT_TYPE);
  op->call_id = hail_sip_stack_new_call_id ();
  op->cseq = 1;
  op->mode = _hail_chat_needs_session (op->to, g_bytes_get_size (op->body))
             ? HAIL_STORE_MESSAGE_MODE_SESSION : HAIL_STORE_MESSAGE_MODE_PAGER;
  /* IMDN rides on CPIM in MESSAGEs; session texts go plain. */
  if (self->imdn && op->mode == HAIL_STORE_MESSAGE_MODE_PAGER)
    op->imdn_id = hail_sip_imdn_new_message_id ();

  if (self->store == NULL)
    {
      start_send (g_steal_pointer (&task));
      return;
    }
  draft = g_object_new (HAIL_TYPE_STORE_MESSAGE,
                        "account", self->aor,
                        "remote", op->to,
                        "direction", HAIL_STORE_DIRECTION_OUT,
                        "body", text,
                        "content-type", op->content_type,
                        "call-id", op->call_id,
                        "cseq", (guint) op->cseq,
                        "imdn-id", op->imdn_id,
                        "mode", op->mode,
                        "state", HAIL_STORE_MESSAGE_STATE_QUEUED,
                        "time-sent", g_get_real_time (),
                        NULL);
  hail_store_add_outgoing_message_async (self->store, draft, cancellable, stored_cb,
                                         g_steal_pointer (&task));
}

gboolean
hail_chat_send_finish (HailChat      *self,
                       GAsyncResult  *result,
                       guint         *status,
                       gint64        *id,
                       GError       **error)
{
  return hail_chat_send_finish_full (self, result, status, id, NULL, error);
}

gboolean
hail_chat_send_finish_full (HailChat              *self,
                            GAsyncResult          *result,
                            guint                 *status,
                            gint64                *id,
                            HailStoreMessageMode  *mode,
                            GError               **error)
{
  SendOp *op;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  op = g_task_get_task_data (G_TASK (result));
  if (status != NULL)
    *status = op->status;
  if (id != NULL)
    *id = op->id;
  if (mode != NULL)
    *mode = op->mode;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Pending messages from an earlier run, one after the other. */

typedef struct {
  GListModel *pending;
  guint       next;
  guint       n_sent;
  guint       n_failed;
} ResendData;

static void
resend_data_free (ResendData *data)
{
  g_clear_object (&data->pending);
  g_free (data);
}

/* A send of the stored @message with its own Call-ID and CSeq, so that a
 * peer which got an earlier copy stores it once. */
static GTask *
send_task_for (HailChat            *self,
               HailStoreMessage    *message,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  GTask *send = g_task_new (self, cancellable, callback, user_data);
  SendOp *op = g_new0 (SendOp, 1);

  g_task_set_source_tag (send, hail_chat_send_async);
  g_task_set_task_data (send, op, (GDestroyNotify) send_op_free);
  op->to = g_strdup (hail_store_message_get_remote (message));
  op->body = g_bytes_new (hail_store_message_get_body (message),
                          strlen (hail_store_message_get_body (message)));
  op->content_type = g_strdup (hail_store_message_get_content_type (message));
  op->call_id = g_strdup (hail_store_message_get_call_id (message));
  op->cseq = MAX (1, hail_store_message_get_cseq (message));
  op->imdn_id = g_strdup (hail_store_message_get_imdn_id (message));
  op->id = hail_store_message_get_id (message);
  if (op->call_id == NULL)
    op->call_id = hail_sip_stack_new_call_id ();
  return send;
}

static void resend_next (GTask *task);

static void
resent_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ResendData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  if (hail_chat_send_finish (HAIL_CHAT (source), result, NULL, NULL, &error))
    data->n_sent++;
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  else
    data->n_failed++;
  resend_next (g_steal_pointer (&task));
}

static void
resend_next (GTask *task)
{
  HailChat *self = g_task_get_source_object (task);
  ResendData *data = g_task_get_task_data (task);

  while (data->next < g_list_model_get_n_items (data->pending))
    {
      g_autoptr(HailStoreMessage) message = g_list_model_get_item (data->pending, data->next++);
      g_autoptr(GTask) send = NULL;

      if (g_strcmp0 (hail_store_message_get_account (message), self->aor) != 0)
        continue;
      /* A file is not a text to send again: its transfer died with that
       * run, and the user retries it. */
      if (hail_store_message_get_file_name (message) != NULL)
        {
          _hail_chat_record_state (self, hail_store_message_get_id (message),
                                   HAIL_STORE_MESSAGE_STATE_FAILED, 0,
                                   "Hail stopped before the whole file went across");
          data->n_failed++;
          continue;
        }
      /* One attempt is the run that died; a second is a resend that died
       * too (the store counts each entry into SENDING). */
      if (hail_store_message_get_send_attempts (message) >= 2
          || (hail_store_message_get_state (message) == HAIL_STORE_MESSAGE_STATE_SENDING
              && g_strcmp0 (hail_store_message_get_reason (message),
                            HAIL_CHAT_RESENT_REASON) == 0))
        {
          _hail_chat_record_state (self, hail_store_message_get_id (message),
                                   HAIL_STORE_MESSAGE_STATE_FAILED, 0,
                                   "Hail stopped before the peer answered, twice; not sent again");
          data->n_failed++;
          continue;
        }
      send = send_task_for (self, message, g_task_get_cancellable (task), resent_cb,
                            g_object_ref (task));
      ((SendOp *) g_task_get_task_data (send))->resent = TRUE;
      start_send (g_steal_pointer (&send));
      g_object_unref (task);   /* resent_cb holds its own reference. */
      return;
    }
  g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

static void
pending_listed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  GTask *task = user_data;
  ResendData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->pending = hail_store_list_messages_finish (HAIL_STORE (source), result, &error);
  if (data->pending == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  resend_next (task);
}

void
hail_chat_resend_pending_async (HailChat            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (HAIL_IS_CHAT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_resend_pending_async);
  g_task_set_task_data (task, g_new0 (ResendData, 1), (GDestroyNotify) resend_data_free);
  if (self->store == NULL)
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  hail_store_list_pending_messages_async (self->store, cancellable, pending_listed_cb, task);
}

gboolean
hail_chat_resend_pending_finish (HailChat      *self,
                                 GAsyncResult  *result,
                                 guint         *n_sent,
                                 guint         *n_failed,
                                 GError       **error)
{
  ResendData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (n_sent != NULL)
    *n_sent = data->n_sent;
  if (n_failed != NULL)
    *n_failed = data->n_failed;
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* One failed message the user chose to send again. */

static void
chosen_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailChat *self = g_task_get_source_object (task);
  gint64 *id = g_task_get_task_data (task);
  GError *error = NULL;
  guint status = 0;

  g_hash_table_remove (self->resending, id);
  if (!hail_chat_send_finish (HAIL_CHAT (source), result, &status, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_int (task, status);
}

static void
chosen_found_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailChat *self = g_task_get_source_object (task);
  gint64 *id = g_task_get_task_data (task);
  g_autoptr(GListModel) found = NULL;
  g_autoptr(HailStoreMessage) message = NULL;
  GError *error = NULL;

  found = hail_store_list_messages_finish (HAIL_STORE (source), result, &error);
  if (found == NULL || g_list_model_get_n_items (found) != 1)
    {
      g_hash_table_remove (self->resending, id);
      if (error == NULL)
        error = g_error_new (HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND,
                             "No message has id %" G_GINT64_FORMAT, *id);
      g_task_return_error (task, error);
      return;
    }
  message = g_list_model_get_item (found, 0);
  if (hail_store_message_get_direction (message) != HAIL_STORE_DIRECTION_OUT
      || g_strcmp0 (hail_store_message_get_account (message), self->aor) != 0)
    {
      g_hash_table_remove (self->resending, id);
      g_task_return_new_error (task, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                               "Message %" G_GINT64_FORMAT " was not sent from %s", *id,
                               self->aor);
      return;
    }
  /* Only a failure is sent again: a message in flight or sent would
   * reach the peer twice. */
  if (hail_store_message_get_state (message) != HAIL_STORE_MESSAGE_STATE_FAILED)
    {
      g_hash_table_remove (self->resending, id);
      g_task_return_new_error (task, HAIL_STORE_ERROR, HAIL_STORE_ERROR_INVALID,
                               "Message %" G_GINT64_FORMAT " has not failed; only a failed "
                               "message is sent again", *id);
      return;
    }
  start_send (send_task_for (self, message, g_task_get_cancellable (task), chosen_sent_cb,
                             g_object_ref (task)));
}

void
hail_chat_resend_message_async (HailChat            *self,
                                gint64               id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gint64 *key;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (id > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_resend_message_async);
  if (self->store == NULL)
    {
      g_task_return_new_error (task, HAIL_STORE_ERROR, HAIL_STORE_ERROR_NOT_FOUND,
                               "This chat keeps no history, so it has no message %"
                               G_GINT64_FORMAT " to send again", id);
      return;
    }
  /* A second click before the first send recorded SENDING would read the
   * row still FAILED and send it twice. */
  if (g_hash_table_contains (self->resending, &id))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Message %" G_GINT64_FORMAT " is already being sent again", id);
      return;
    }
  key = g_new (gint64, 1);
  *key = id;
  g_hash_table_add (self->resending, key);
  g_task_set_task_data (task, g_memdup2 (key, sizeof *key), g_free);
  hail_store_get_message_async (self->store, id, cancellable, chosen_found_cb,
                                g_steal_pointer (&task));
}

gboolean
hail_chat_resend_message_finish (HailChat      *self,
                                 GAsyncResult  *result,
                                 guint         *status,
                                 GError       **error)
{
  gssize sent_status;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  sent_status = g_task_propagate_int (G_TASK (result), error);
  if (sent_status < 0)
    return FALSE;
  if (status != NULL)
    *status = (guint) sent_status;
  return TRUE;
}

void
hail_chat_typing (HailChat   *self,
                  const char *to)
{
  Composing *c;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (to != NULL);

  c = g_hash_table_lookup (self->ours, to);
  if (c == NULL)
    {
      c = g_new0 (Composing, 1);
      c->chat = self;
      c->remote = g_strdup (to);
      c->active = TRUE;
      g_hash_table_insert (self->ours, c->remote, c);
      /* §3.2: `active` goes out when typing starts, then only as a
       * refresh: keystrokes in between send nothing. */
      send_composing (self, to, TRUE);
      c->refresh_id = g_timeout_add (self->refresh_ms, our_refresh_cb, c);
    }
  g_clear_handle_id (&c->idle_id, g_source_remove);
  c->idle_id = g_timeout_add (self->idle_ms, our_idle_cb, c);
}

void
hail_chat_notify_displayed (HailChat   *self,
                            const char *remote,
                            const char *imdn_message_id)
{
  g_autofree char *key = NULL;

  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (remote != NULL && imdn_message_id != NULL);

  key = g_strdup_printf ("%s\n%s", remote, imdn_message_id);
  if (!self->imdn || !g_hash_table_remove (self->want_display, key))
    return;
  _hail_chat_send_imdn (self, remote, imdn_message_id, NULL, HAIL_SIP_IMDN_KIND_DISPLAY,
                        HAIL_SIP_IMDN_STATUS_DISPLAYED);
}

void
hail_chat_set_max_file_size (HailChat *self,
                             guint64   max_size)
{
  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (max_size > 0);

  self->max_file_size = max_size;
}

void
hail_chat_set_download_dir (HailChat *self,
                            GFile    *dir)
{
  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (dir == NULL || G_IS_FILE (dir));

  g_set_object (&self->download_dir, dir);
}

void
hail_chat_set_offer_timeout (HailChat *self,
                             guint     seconds)
{
  g_return_if_fail (HAIL_IS_CHAT (self));
  g_return_if_fail (seconds > 0);

  self->offer_timeout_s = seconds;
}

void
hail_chat_set_session_idle_timeout (HailChat *self,
                                    guint     seconds)
{
  g_return_if_fail (HAIL_IS_CHAT (self));

  self->session_idle_s = seconds;
}

static void
session_ended_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  guint *left = g_task_get_task_data (task);

  if (!hail_chat_session_close_finish (HAIL_CHAT_SESSION (source), result, NULL))
    g_debug ("A message session did not end cleanly");
  if (--*left == 0)
    g_task_return_boolean (task, TRUE);
}

void
hail_chat_close_sessions_async (HailChat            *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) sessions = NULL;
  guint *left = g_new0 (guint, 1);

  g_return_if_fail (HAIL_IS_CHAT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_chat_close_sessions_async);
  g_task_set_task_data (task, left, g_free);
  /* A copy: each close takes the session out of the list. */
  sessions = g_ptr_array_new_full (self->sessions->len, g_object_unref);
  for (guint i = 0; i < self->sessions->len; i++)
    g_ptr_array_add (sessions, g_object_ref (g_ptr_array_index (self->sessions, i)));
  *left = sessions->len + 1;
  for (guint i = 0; i < sessions->len; i++)
    hail_chat_session_close_async (g_ptr_array_index (sessions, i), cancellable,
                                   session_ended_cb, g_object_ref (task));
  if (--*left == 0)
    g_task_return_boolean (task, TRUE);
}

gboolean
hail_chat_close_sessions_finish (HailChat      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
