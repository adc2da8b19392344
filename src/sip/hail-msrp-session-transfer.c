/* hail-msrp-session-transfer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailMsrpSession: messages both ways. Sends are cut into chunks while the
 * connection holds less than HAIL_MSRP_SEND_WINDOW, so a file of any size
 * costs a bounded amount of memory, and messages take turns chunk by chunk,
 * so neither a text nor the responses and REPORTs wait behind a whole file. Each chunk that asks for a response is a
 * transaction with a deadline; the deadlines expire in sending order, so one
 * timer for the oldest suffices.
 */
#include "config.h"

#include "hail-msrp-builder.h"
#include "hail-msrp-limits.h"
#include "hail-msrp-session-private.h"
#include "hail-sip-error.h"

#include <string.h>

#define SIGNALS _hail_msrp_session_signals

void
_hail_msrp_session_transaction_free (Transaction *transaction)
{
  g_free (transaction->tid);
  g_free (transaction);
}

void
_hail_msrp_session_incoming_free (Incoming *incoming)
{
  g_clear_object (&incoming->reassembly);
  g_free (incoming->content_type);
  g_free (incoming);
}

void
_hail_msrp_session_send_free (Send *send)
{
  if (send->cancel_source != NULL)
    {
      g_source_destroy (send->cancel_source);
      g_source_unref (send->cancel_source);
    }
  g_clear_object (&send->message);
  g_clear_object (&send->task);
  g_free (send);
}

/* Takes @send out of every list and forgets its transactions. */
static void
detach_send (HailMsrpSession *self,
             Send            *send)
{
  if (self->current == send)
    self->current = NULL;
  g_queue_remove (&self->waiting, send);
  g_queue_remove (&self->inflight, send);
  for (GList *l = self->transactions.head; l != NULL; l = l->next)
    {
      Transaction *t = l->data;

      if (t->send == send)
        t->send = NULL;
    }
}

static void
complete_send (HailMsrpSession *self,
               Send            *send)
{
  detach_send (self, send);
  g_task_return_boolean (send->task, TRUE);
  _hail_msrp_session_send_free (send);
}

/* Fails @send; when some of it went out and the connection lives, the peer
 * is told with a `#` chunk (RFC 4975 §7.1) so that it stops waiting. */
static void
fail_send (HailMsrpSession *self,
           Send            *send,
           GError          *error)
{
  if (send->started && !send->all_sent && self->connection != NULL &&
      hail_msrp_connection_is_ready (self->connection))
    {
      g_autoptr(GBytes) frame = hail_msrp_outgoing_abort_chunk (send->message, self->remote_path,
                                                                self->local_path, NULL);

      hail_msrp_connection_send (self->connection, frame);
    }
  detach_send (self, send);
  g_task_return_error (send->task, error);
  _hail_msrp_session_send_free (send);
}

static void
maybe_complete (HailMsrpSession *self,
                Send            *send)
{
  HailMsrpOutgoing *m = send->message;

  if (!send->all_sent)
    return;
  if (hail_msrp_outgoing_get_success_report (m) == HAIL_MSRP_REPORT_YES)
    {
      if (send->reported)
        complete_send (self, send);
    }
  else if (hail_msrp_outgoing_get_failure_report (m) == HAIL_MSRP_REPORT_YES)
    {
      if (send->n_pending == 0)
        complete_send (self, send);
    }
  else
    {
      complete_send (self, send);
    }
}

static gboolean timeout_cb (gpointer user_data);

static void
arm_timeout (HailMsrpSession *self)
{
  Transaction *head;
  gint64 wait_ms;

  /* Answered transactions leave from the front as the timer passes. */
  while ((head = g_queue_peek_head (&self->transactions)) != NULL && head->answered)
    _hail_msrp_session_transaction_free (g_queue_pop_head (&self->transactions));
  if (self->timeout_id != 0 || head == NULL)
    return;
  wait_ms = (head->deadline - g_get_monotonic_time ()) / 1000;
  self->timeout_id = g_timeout_add ((guint) CLAMP (wait_ms, 0, G_MAXINT), timeout_cb, self);
}

static gboolean
timeout_cb (gpointer user_data)
{
  HailMsrpSession *self = user_data;
  g_autoptr(HailMsrpSession) hold G_GNUC_UNUSED = g_object_ref (self);
  gint64 now = g_get_monotonic_time ();
  Transaction *head;

  self->timeout_id = 0;
  while ((head = g_queue_peek_head (&self->transactions)) != NULL &&
         (head->answered || head->deadline <= now))
    {
      g_queue_pop_head (&self->transactions);
      if (!head->answered)
        {
          g_hash_table_remove (self->by_tid, head->tid);
          if (head->bind)
            {
              /* RFC 4975 §5.4: without an answer to the binding SEND the
               * peer does not have this session. */
              _hail_msrp_session_fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT,
                                                          "No answer to the MSRP SEND that binds "
                                                          "the session within %u ms",
                                                          self->transaction_timeout));
            }
          else if (head->send != NULL)
            {
              /* RFC 4975 §7.1: no response in time counts as a 408. */
              fail_send (self, head->send,
                         g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT,
                                      "No response to MSRP SEND %s within %u ms", head->tid,
                                      self->transaction_timeout));
            }
        }
      _hail_msrp_session_transaction_free (head);
      if (self->state == HAIL_MSRP_SESSION_STATE_FAILED)
        return G_SOURCE_REMOVE;
    }
  arm_timeout (self);
  return G_SOURCE_REMOVE;
}

static void
track (HailMsrpSession *self,
       const char      *tid,
       Send            *send,
       guint64          bytes,
       gboolean         bind)
{
  Transaction *t = g_new0 (Transaction, 1);

  t->tid = g_strdup (tid);
  t->send = send;
  t->bytes = bytes;
  t->bind = bind;
  t->deadline = g_get_monotonic_time () + (gint64) self->transaction_timeout * 1000;
  g_queue_push_tail (&self->transactions, t);
  g_hash_table_insert (self->by_tid, t->tid, t);
  if (send != NULL)
    send->n_pending++;
  arm_timeout (self);
}

void
_hail_msrp_session_send_bind (HailMsrpSession *self)
{
  HailMsrpBuilder *b = hail_msrp_builder_new_request (NULL, "SEND");
  g_autofree char *message_id = hail_msrp_new_ident ();
  g_autoptr(GBytes) frame = NULL;

  /* An empty SEND: no body, nothing for the user, but it needs an answer. */
  hail_msrp_builder_set_to_path (b, self->remote_path);
  hail_msrp_builder_set_from_path (b, self->local_path);
  hail_msrp_builder_add_header (b, "Message-ID", message_id);
  track (self, hail_msrp_builder_get_transaction_id (b), NULL, 0, TRUE);
  frame = hail_msrp_builder_finish (b, NULL, NULL, 0, HAIL_MSRP_CONTINUATION_COMPLETE, NULL);
  hail_msrp_connection_send (self->connection, frame);
}

void
_hail_msrp_session_pump (HailMsrpSession *self)
{
  g_autoptr(HailMsrpSession) hold G_GNUC_UNUSED = g_object_ref (self);

  while (self->state == HAIL_MSRP_SESSION_STATE_READY && self->connection != NULL &&
         hail_msrp_connection_get_queued (self->connection) < HAIL_MSRP_SEND_WINDOW)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *tid = NULL;
      g_autoptr(GBytes) frame = NULL;
      HailMsrpByteRange range;
      Send *send;
      HailMsrpReport failure;

      if (self->current == NULL)
        self->current = g_queue_pop_head (&self->waiting);
      send = self->current;
      if (send == NULL)
        return;

      frame = hail_msrp_outgoing_next_chunk (send->message, self->remote_path, self->local_path,
                                             &tid, &range, &error);
      if (frame == NULL)
        {
          fail_send (self, send, g_steal_pointer (&error));
          continue;
        }
      send->started = TRUE;
      failure = hail_msrp_outgoing_get_failure_report (send->message);
      /* Failure-Report: yes asks for a 200 per chunk; partial and no get
       * only error responses, or none, so nothing is awaited. */
      if (failure == HAIL_MSRP_REPORT_YES)
        track (self, tid, send, (guint64) (range.end + 1) - range.start, FALSE);
      if (!hail_msrp_connection_send (self->connection, frame))
        return;
      if (failure != HAIL_MSRP_REPORT_YES)
        g_signal_emit (self, SIGNALS[SIGNAL_SEND_PROGRESS], 0, send->message,
                       hail_msrp_outgoing_get_sent (send->message),
                       hail_msrp_outgoing_get_total (send->message));
      if (!hail_msrp_outgoing_has_more (send->message))
        {
          send->all_sent = TRUE;
          self->current = NULL;
          g_queue_push_tail (&self->inflight, send);
          maybe_complete (self, send);
        }
      else if (!g_queue_is_empty (&self->waiting))
        {
          /* RFC 4975 §5.1: chunking exists so that a short message need not
           * wait behind a file. Messages take turns, a chunk each. */
          g_queue_push_tail (&self->waiting, send);
          self->current = NULL;
        }
    }
}

static gboolean
cancelled_cb (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  HailMsrpSession *self = g_task_get_source_object (task);
  Send *send = g_task_get_task_data (task);

  g_source_unref (g_steal_pointer (&send->cancel_source));
  fail_send (self, send, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                              "The MSRP message was cancelled"));
  return G_SOURCE_REMOVE;
}

void
hail_msrp_session_send_async (HailMsrpSession     *self,
                              HailMsrpOutgoing    *message,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Send *send;

  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));
  g_return_if_fail (HAIL_IS_MSRP_OUTGOING (message));
  g_return_if_fail (hail_msrp_outgoing_get_sent (message) == 0 ||
                    hail_msrp_outgoing_has_more (message));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_msrp_session_send_async);
  if (self->state == HAIL_MSRP_SESSION_STATE_FAILED)
    {
      g_task_return_error (task, g_error_copy (self->error));
      return;
    }
  if (self->state == HAIL_MSRP_SESSION_STATE_CLOSED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The MSRP session is closed");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  send = g_new0 (Send, 1);
  send->task = g_object_ref (task);
  send->message = g_object_ref (message);
  /* A resumed transfer counts the bytes the peer already holds. */
  send->acked = hail_msrp_outgoing_get_sent (message);
  /* Borrowed back in cancelled_cb; the Send itself is freed by whoever
   * completes the task. */
  g_task_set_task_data (task, send, NULL);
  if (cancellable != NULL)
    {
      send->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (send->cancel_source, (GSourceFunc) (GCallback) cancelled_cb, task,
                             NULL);
      g_source_attach (send->cancel_source, g_main_context_get_thread_default ());
    }
  g_queue_push_tail (&self->waiting, send);
  _hail_msrp_session_pump (self);
}

gboolean
hail_msrp_session_send_finish (HailMsrpSession  *self,
                               GAsyncResult     *result,
                               GError          **error)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static Send *
find_send (HailMsrpSession *self,
           HailSipSpan      message_id)
{
  HailMsrpOutgoing *current = self->current != NULL ? self->current->message : NULL;

  if (current != NULL &&
      hail_sip_span_equal_str (message_id, hail_msrp_outgoing_get_message_id (current)))
    return self->current;
  for (GList *l = self->inflight.head; l != NULL; l = l->next)
    {
      Send *send = l->data;

      if (hail_sip_span_equal_str (message_id, hail_msrp_outgoing_get_message_id (send->message)))
        return send;
    }
  return NULL;
}

static GError *
status_error (guint        code,
              HailSipSpan  comment,
              const char  *what)
{
  g_autofree char *text = hail_sip_span_present (comment) && comment.len > 0
                          ? g_strndup (comment.ptr, MIN (comment.len, 200))
                          : g_strdup_printf ("MSRP status %u", code);

  return g_error_new (HAIL_SIP_STATUS_ERROR, (int) code, "%s: %s", what,
                      g_utf8_validate (text, -1, NULL) ? text : "(invalid text)");
}

static void
handle_response (HailMsrpSession *self,
                 HailMsrpMessage *message)
{
  HailSipSpan tid = hail_msrp_message_get_transaction_id (message);
  g_autofree char *key = hail_sip_span_dup (tid);
  guint code = hail_msrp_message_get_status_code (message);
  Transaction *t = g_hash_table_lookup (self->by_tid, key);
  Send *send;

  if (t == NULL)
    {
      g_debug ("MSRP response %u to unknown transaction %s", code, key);
      return;
    }
  g_hash_table_remove (self->by_tid, key);
  t->answered = TRUE;
  send = t->send;
  if (t->bind)
    {
      if (code != 200)
        _hail_msrp_session_fail (self, status_error (code, hail_msrp_message_get_comment (message),
                                                     "The peer refused the MSRP session"));
      return;
    }
  if (send == NULL)
    return;
  send->n_pending--;
  if (code != 200)
    {
      fail_send (self, send, status_error (code, hail_msrp_message_get_comment (message),
                                           "The peer refused the MSRP message"));
      return;
    }
  send->acked += t->bytes;
  g_signal_emit (self, SIGNALS[SIGNAL_SEND_PROGRESS], 0, send->message, send->acked,
                 hail_msrp_outgoing_get_total (send->message));
  maybe_complete (self, send);
}

static void
respond (HailMsrpSession *self,
         HailMsrpMessage *request,
         guint            code,
         const char      *comment)
{
  g_autofree char *tid = hail_sip_span_dup (hail_msrp_message_get_transaction_id (request));
  HailMsrpBuilder *b;
  g_autoptr(GBytes) frame = NULL;

  /* RFC 4975 §7.2: no response when Failure-Report is no, and only errors
   * when it is partial. */
  switch (hail_msrp_message_get_failure_report (request))
    {
    case HAIL_MSRP_REPORT_NO:
      return;
    case HAIL_MSRP_REPORT_PARTIAL:
      if (code == 200)
        return;
      break;
    case HAIL_MSRP_REPORT_YES:
    default:
      break;
    }
  if (self->connection == NULL)
    return;
  b = hail_msrp_builder_new_response (tid, code, comment);
  /* §7.2: the response goes back along the request's From-Path. */
  hail_msrp_builder_set_to_path (b, hail_msrp_message_get_from_path (request));
  hail_msrp_builder_set_from_path (b, self->local_path);
  frame = hail_msrp_builder_finish (b, NULL, NULL, 0, HAIL_MSRP_CONTINUATION_COMPLETE, NULL);
  hail_msrp_connection_send (self->connection, frame);
}

void
_hail_msrp_session_answer_invalid (HailMsrpSession *self,
                                   GBytes          *frame)
{
  gsize len = 0;
  const char *p = g_bytes_get_data (frame, &len);
  const char *sp = memchr (p + 5, ' ', len - 5);
  g_autofree char *tid = NULL;
  HailMsrpBuilder *b;
  g_autoptr(GBytes) out = NULL;

  /* The framer checked "MSRP <tid> "; a status code after it makes this a
   * response, which is never answered. */
  if (sp == NULL || (gsize) (sp - p) + 1 >= len || g_ascii_isdigit (sp[1]) ||
      self->connection == NULL || self->remote_path == NULL)
    return;
  tid = g_strndup (p + 5, sp - (p + 5));
  b = hail_msrp_builder_new_response (tid, 400, "Bad request");
  hail_msrp_builder_set_to_path (b, self->remote_path);
  hail_msrp_builder_set_from_path (b, self->local_path);
  out = hail_msrp_builder_finish (b, NULL, NULL, 0, HAIL_MSRP_CONTINUATION_COMPLETE, NULL);
  hail_msrp_connection_send (self->connection, out);
}

/* RFC 4975 §7.1.2: a REPORT for bytes 1 to @end of @total, Status 200: the
 * whole message, or the part held so far. */
static void
send_success_report (HailMsrpSession *self,
                     const char      *message_id,
                     guint64          end,
                     guint64          total)
{
  HailMsrpBuilder *b = hail_msrp_builder_new_request (NULL, "REPORT");
  HailMsrpByteRange range = { 1, (gint64) end, (gint64) total };
  g_autoptr(GBytes) frame = NULL;

  hail_msrp_builder_set_to_path (b, self->remote_path);
  hail_msrp_builder_set_from_path (b, self->local_path);
  hail_msrp_builder_add_header (b, "Message-ID", message_id);
  hail_msrp_builder_add_byte_range (b, &range);
  hail_msrp_builder_add_status (b, 200, "OK");
  frame = hail_msrp_builder_finish (b, NULL, NULL, 0, HAIL_MSRP_CONTINUATION_COMPLETE, NULL);
  hail_msrp_connection_send (self->connection, frame);
}

static void
handle_report (HailMsrpSession *self,
               HailMsrpMessage *message)
{
  HailMsrpStatus status;
  HailMsrpByteRange range;
  Send *send = find_send (self, hail_msrp_message_get_message_id (message));

  /* RFC 4975 §7.1.2: REPORTs are never answered. */
  if (send == NULL || !hail_msrp_message_get_status (message, &status))
    return;
  if (status.code != 200)
    {
      fail_send (self, send, status_error (status.code, status.comment,
                                           "The peer could not take the MSRP message"));
      return;
    }
  if (hail_msrp_message_get_byte_range (message, &range) && range.start == 1 &&
      range.end > 0 && (guint64) range.end < hail_msrp_outgoing_get_total (send->message))
    {
      g_signal_emit (self, SIGNALS[SIGNAL_SEND_REPORTED], 0, send->message, (guint64) range.end);
      return;
    }
  if (!hail_msrp_message_get_byte_range (message, &range) ||
      (range.start == 1 && range.end >= 0 &&
       (guint64) range.end == hail_msrp_outgoing_get_total (send->message)))
    {
      g_signal_emit (self, SIGNALS[SIGNAL_SEND_REPORTED], 0, send->message,
                     hail_msrp_outgoing_get_total (send->message));
      send->reported = TRUE;
      maybe_complete (self, send);
    }
}

static gboolean
path_matches (GPtrArray *got,
              GPtrArray *want)
{
  if (got->len != want->len)
    return FALSE;
  for (guint i = 0; i < got->len; i++)
    if (!hail_msrp_uri_equal (got->pdata[i], want->pdata[i]))
      return FALSE;
  return TRUE;
}

/* RFC 4975 §7.3.1: a direct SEND carries exactly our path and the
 * peer's. Through relays (RFC 4976 §7.3.1), each one takes itself off
 * To-Path and puts itself on From-Path, so only the ends are ours to
 * check: To-Path is us alone, and From-Path ends with the peer. */
static gboolean
addressed_to_us (HailMsrpSession *self,
                 HailMsrpMessage *message)
{
  GPtrArray *to = hail_msrp_message_get_to_path (message);
  GPtrArray *from = hail_msrp_message_get_from_path (message);

  if (self->relay == NULL && self->peer_path->len == 1)
    return path_matches (to, self->local_path) && path_matches (from, self->remote_path);
  return path_matches (to, self->local_path) &&
         hail_msrp_uri_equal (from->pdata[from->len - 1],
                              self->peer_path->pdata[self->peer_path->len - 1]);
}

static void
abort_incoming (HailMsrpSession *self,
                const char      *message_id,
                GError          *reason)
{
  g_autoptr(GError) owned G_GNUC_UNUSED = reason;
  g_autofree char *id = g_strdup (message_id);
  g_autoptr(HailMsrpReassembly) partial = NULL;
  Incoming *in = g_hash_table_lookup (self->incoming, id);

  /* The partial message goes with the signal, so that a transfer can be
   * resumed in another session (RFC 5547 §9). */
  partial = in != NULL ? g_object_ref (in->reassembly)
                       : hail_msrp_reassembly_new (id, self->max_message_size);
  g_hash_table_remove (self->incoming, id);
  g_signal_emit (self, SIGNALS[SIGNAL_RECEIVE_ABORTED], 0, id, reason, partial);
}

static void
refuse (HailMsrpSession *self,
        const char      *message_id)
{
  if (g_hash_table_size (self->refused) >= HAIL_MSRP_MAX_REFUSED_MESSAGES)
    g_hash_table_remove_all (self->refused);
  g_hash_table_add (self->refused, g_strdup (message_id));
}

/* While streaming, a partial success REPORT each time the bytes held from
 * the first one grew by HAIL_MSRP_PARTIAL_REPORT_BYTES (RFC 4975 §7.1.2
 * lets a REPORT cover part of a message), short of the whole. */
static void
maybe_report_part (HailMsrpSession *self,
                   const char      *message_id,
                   Incoming        *in)
{
  gint64 total = hail_msrp_reassembly_get_total (in->reassembly);
  g_autoptr(GArray) ranges = NULL;
  const HailMsrpByteRange *first;

  if (!in->success_report || total < 0 ||
      hail_msrp_reassembly_get_received (in->reassembly) <
        in->reported + HAIL_MSRP_PARTIAL_REPORT_BYTES)
    return;
  ranges = hail_msrp_reassembly_dup_ranges (in->reassembly);
  first = ranges->len > 0 ? &g_array_index (ranges, HailMsrpByteRange, 0) : NULL;
  if (first == NULL || first->start != 1 ||
      (guint64) first->end < in->reported + HAIL_MSRP_PARTIAL_REPORT_BYTES ||
      first->end >= total)
    return;
  in->reported = (guint64) first->end;
  send_success_report (self, message_id, in->reported, (guint64) total);
}

/* Whether one more chunk ending at byte @end of @in keeps every message
 * being received within the session's maximum message size. */
static gboolean
within_budget (HailMsrpSession  *self,
               Incoming         *in,
               guint64           end,
               GError          **error)
{
  GHashTableIter iter;
  gpointer value;
  guint64 held = MAX (end, hail_msrp_reassembly_get_buffered_size (in->reassembly));

  g_hash_table_iter_init (&iter, self->incoming);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (value != in)
      held += hail_msrp_reassembly_get_buffered_size (((Incoming *) value)->reassembly);
  if (held <= self->max_message_size)
    return TRUE;
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
               "MSRP messages being received would hold more than %" G_GUINT64_FORMAT " bytes",
               self->max_message_size);
  return FALSE;
}

static void
handle_send (HailMsrpSession *self,
             HailMsrpMessage *message)
{
  g_autofree char *message_id = hail_sip_span_dup (hail_msrp_message_get_message_id (message));
  g_autoptr(GError) error = NULL;
  g_autoptr(HailMsrpSession) hold G_GNUC_UNUSED = g_object_ref (self);
  HailMsrpByteRange range;
  gboolean has_range = hail_msrp_message_get_byte_range (message, &range);
  Incoming *in;
  gsize len = 0;
  const guint8 *body = hail_msrp_message_get_body (message, &len);

  if (!addressed_to_us (self, message))
    {
      g_debug ("MSRP SEND for another session or from another peer");
      respond (self, message, 481, "Session does not exist");
      /* Our relay's connection carries only us: it stays. */
      if (!self->bound && self->relay == NULL)
        _hail_msrp_session_reject_trial (self);
      return;
    }
  if (!self->bound)
    _hail_msrp_session_bind (self);

  if (g_hash_table_contains (self->refused, message_id))
    {
      respond (self, message, 413, "Message refused");
      return;
    }
  in = g_hash_table_lookup (self->incoming, message_id);
  if (in == NULL)
    {
      /* An empty SEND (a binding one, or an empty message without a body)
       * carries nothing for the user. */
      if (!hail_msrp_message_has_body (message))
        {
          respond (self, message, 200, "OK");
          return;
        }
      if (g_hash_table_size (self->incoming) >= HAIL_MSRP_MAX_INCOMING_MESSAGES)
        {
          respond (self, message, 413, "Too many messages at once");
          return;
        }
      in = g_new0 (Incoming, 1);
      in->reassembly = hail_msrp_reassembly_new (message_id, self->max_message_size);
      hail_msrp_reassembly_set_keep_data (in->reassembly, !self->streaming);
      /* RFC 5547 §9: the first message of a resumed transfer starts past
       * what an earlier session left. */
      if (self->streaming && self->resume_held > 0)
        {
          if (!hail_msrp_reassembly_mark_held (in->reassembly, self->resume_held, &error))
            {
              _hail_msrp_session_incoming_free (in);
              refuse (self, message_id);
              respond (self, message, 413, "Message too large");
              return;
            }
          in->reported = self->resume_held;
          self->resume_held = 0;
        }
      g_hash_table_insert (self->incoming, g_strdup (message_id), in);
    }
  if (in->content_type == NULL && hail_msrp_message_has_body (message))
    in->content_type = hail_sip_span_dup (hail_msrp_message_get_content_type (message));
  in->success_report |= hail_msrp_message_get_success_report (message) == HAIL_MSRP_REPORT_YES;

  if (!within_budget (self, in, (has_range ? range.start : 1) + len - 1, &error) ||
      !hail_msrp_reassembly_add (in->reassembly, has_range ? &range : NULL, body, len,
                                 hail_msrp_message_get_continuation (message), &error))
    {
      refuse (self, message_id);
      /* §7.3.1: 413 asks the sender to stop sending this message. */
      if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE))
        respond (self, message, 413, "Message too large");
      else
        respond (self, message, 400, "Bad chunk");
      abort_incoming (self, message_id, g_steal_pointer (&error));
      return;
    }
  respond (self, message, 200, "OK");
  if (self->streaming && len > 0)
    {
      g_autoptr(GBytes) chunk = g_bytes_new (body, len);

      g_signal_emit (self, SIGNALS[SIGNAL_CHUNK_RECEIVED], 0, message_id,
                     has_range ? range.start : (guint64) 1,
                     hail_msrp_reassembly_get_total (in->reassembly), chunk);
      /* The handler may have given the message up, or closed us. */
      in = g_hash_table_lookup (self->incoming, message_id);
      if (in == NULL || self->state != HAIL_MSRP_SESSION_STATE_READY)
        return;
      maybe_report_part (self, message_id, in);
    }
  g_signal_emit (self, SIGNALS[SIGNAL_RECEIVE_PROGRESS], 0, message_id,
                 hail_msrp_reassembly_get_received (in->reassembly),
                 hail_msrp_reassembly_get_total (in->reassembly));
  if (self->state != HAIL_MSRP_SESSION_STATE_READY)
    return;

  if (hail_msrp_reassembly_is_aborted (in->reassembly))
    {
      abort_incoming (self, message_id,
                      g_error_new (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                   "The sender aborted MSRP message %s after %" G_GUINT64_FORMAT
                                   " bytes", message_id,
                                   hail_msrp_reassembly_get_received (in->reassembly)));
      return;
    }
  if (hail_msrp_reassembly_is_complete (in->reassembly))
    {
      g_autoptr(GBytes) content = hail_msrp_reassembly_steal_bytes (in->reassembly);
      g_autofree char *content_type = g_steal_pointer (&in->content_type);

      if (in->success_report)
        send_success_report (self, message_id,
                             (guint64) hail_msrp_reassembly_get_total (in->reassembly),
                             (guint64) hail_msrp_reassembly_get_total (in->reassembly));
      g_hash_table_remove (self->incoming, message_id);
      g_signal_emit (self, SIGNALS[SIGNAL_MESSAGE_RECEIVED], 0, message_id,
                     content_type != NULL ? content_type : "text/plain", content);
    }
}

void
_hail_msrp_session_handle_message (HailMsrpSession *self,
                                   HailMsrpMessage *message)
{
  if (hail_msrp_message_get_kind (message) == HAIL_MSRP_MESSAGE_KIND_RESPONSE)
    {
      if (!_hail_msrp_session_relay_response (self, message))
        handle_response (self, message);
      return;
    }
  if (self->remote_path == NULL)
    {
      /* Through our relay, the peer may speak before its answer reached
       * us and we started: it keeps the request until then. */
      _hail_msrp_session_relay_hold (self, message);
      return;
    }
  switch (hail_msrp_message_get_method (message))
    {
    case HAIL_MSRP_METHOD_SEND:
      handle_send (self, message);
      break;

    case HAIL_MSRP_METHOD_REPORT:
      if (self->bound)
        handle_report (self, message);
      break;

    case HAIL_MSRP_METHOD_AUTH:
    case HAIL_MSRP_METHOD_OTHER:
    default:
      /* RFC 4975 §12: 501 is for methods we do not understand. */
      respond (self, message, 501, "Method not implemented");
      break;
    }
}

gboolean
hail_msrp_session_resume_incoming (HailMsrpSession     *self,
                                   const char          *message_id,
                                   const char          *content_type,
                                   HailMsrpReassembly  *partial,
                                   GError             **error)
{
  Incoming *in;

  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), FALSE);
  g_return_val_if_fail (message_id != NULL, FALSE);
  g_return_val_if_fail (content_type != NULL, FALSE);
  g_return_val_if_fail (HAIL_IS_MSRP_REASSEMBLY (partial), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (hail_msrp_reassembly_is_aborted (partial) || hail_msrp_reassembly_is_complete (partial))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "Only a message cut off mid-way can be resumed");
      return FALSE;
    }
  if (g_hash_table_contains (self->incoming, message_id) ||
      g_hash_table_size (self->incoming) >= HAIL_MSRP_MAX_INCOMING_MESSAGES)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   "MSRP message %s is already being received, or too many are", message_id);
      return FALSE;
    }
  in = g_new0 (Incoming, 1);
  in->reassembly = g_object_ref (partial);
  in->content_type = g_strdup (content_type);
  g_hash_table_insert (self->incoming, g_strdup (message_id), in);
  return TRUE;
}

void
hail_msrp_session_set_streaming (HailMsrpSession *self,
                                 gboolean         streaming)
{
  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));

  self->streaming = !!streaming;
}

void
hail_msrp_session_set_resume_held (HailMsrpSession *self,
                                   guint64          held)
{
  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));
  g_return_if_fail (self->streaming);

  self->resume_held = held;
}

void
_hail_msrp_session_end_transfers (HailMsrpSession *self,
                                  const GError    *error)
{
  g_autoptr(HailMsrpSession) hold G_GNUC_UNUSED = g_object_ref (self);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;
  Send *send;

  if (self->current != NULL)
    fail_send (self, self->current, g_error_copy (error));
  while ((send = g_queue_peek_head (&self->waiting)) != NULL)
    fail_send (self, send, g_error_copy (error));
  while ((send = g_queue_peek_head (&self->inflight)) != NULL)
    fail_send (self, send, g_error_copy (error));

  g_hash_table_iter_init (&iter, self->incoming);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));
  for (guint i = 0; i < ids->len; i++)
    abort_incoming (self, ids->pdata[i], g_error_copy (error));
}
