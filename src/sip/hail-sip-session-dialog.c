/* hail-sip-session-dialog.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Requests inside an INVITE session's dialog: ACK for 2xx, BYE, re-INVITE
 * and UPDATE (with glare), the 2xx retransmissions of RFC 3261 §13.3.1.4
 * and session timers (RFC 4028).
 */
#include "config.h"

#include "hail-sip-session-private.h"

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-resolver.h"

#include <string.h>

typedef struct {
  char          *method;
  guint32        cseq;
  GStrv          headers;
  GBytes        *sdp;
  HailSipTarget *target;
  GPtrArray     *auth_sent;     /* HailSipAuthHeader* */
  guint          attempts;
} SendData;

static void
send_data_free (SendData *data)
{
  g_free (data->method);
  g_strfreev (data->headers);
  g_clear_pointer (&data->sdp, g_bytes_unref);
  g_clear_pointer (&data->target, hail_sip_target_free);
  g_clear_pointer (&data->auth_sent, g_ptr_array_unref);
  g_free (data);
}

static GBytes *
sdp_body (HailSipMessage *message)
{
  HailSipContentType ctype;
  HailSipSpan body = hail_sip_message_get_body (message);

  if (body.len == 0 || !hail_sip_message_get_content_type (message, &ctype)
      || !hail_sip_content_type_is (&ctype, "application", "sdp"))
    return NULL;
  return g_bytes_new (body.ptr, body.len);
}

static void send_attempt (GTask *task);

static void
ack_sent_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!hail_sip_stack_send_finish (HAIL_SIP_STACK (source), result, &error))
    g_debug ("Could not send an ACK: %s", error->message);
}

static void
retransmitted_2xx_cb (HailSipClientTransaction *txn,
                      HailSipMessage           *response,
                      HailSipSession           *self)
{
  if (self->ack_bytes != NULL && self->ack_target != NULL)
    hail_sip_stack_send_async (self->stack, self->ack_target, self->ack_bytes, NULL,
                               ack_sent_cb, NULL);
}

static gboolean
answer_challenge (HailSipSession *self,
                  SendData       *data,
                  HailSipMessage *response)
{
  g_autoptr(GPtrArray) answers = NULL;
  g_autoptr(GError) error = NULL;
  HailSipAuthRequest request = { 0 };

  if (self->auth == NULL || data->attempts >= HAIL_SIP_MAX_REQUEST_ATTEMPTS)
    return FALSE;
  request.method = data->method;
  request.uri = hail_sip_uri_to_string (hail_sip_dialog_get_remote_target (self->dialog));
  request.body = data->sdp != NULL ? g_bytes_get_data (data->sdp, NULL) : NULL;
  request.body_len = data->sdp != NULL ? g_bytes_get_size (data->sdp) : 0;
  request.sent = data->auth_sent;
  answers = hail_sip_request_sender_answer (self->auth, response, &request, &error);
  if (answers == NULL)
    {
      g_debug ("Cannot answer the challenge to %s: %s", data->method, error->message);
      return FALSE;
    }
  g_ptr_array_set_size (data->auth_sent, 0);
  while (answers->len > 0)
    g_ptr_array_add (data->auth_sent, g_ptr_array_steal_index (answers, 0));
  return TRUE;
}

static void
send_run_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailSipSession *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(HailSipMessage) response = NULL;
  GError *error = NULL;
  guint status;

  response = hail_sip_client_transaction_run_finish (HAIL_SIP_CLIENT_TRANSACTION (source),
                                                     result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  status = hail_sip_message_get_status (response);
  if ((status == 401 || status == 407) && answer_challenge (self, data, response))
    {
      /* §22.2: a new request: the dialog's next CSeq. */
      data->cseq = hail_sip_dialog_next_cseq (self->dialog);
      send_attempt (g_steal_pointer (&task));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&response),
                         (GDestroyNotify) hail_sip_message_unref);
}

static void
send_attempt (GTask *task)
{
  HailSipSession *self = g_task_get_source_object (task);
  SendData *data = g_task_get_task_data (task);
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) request = NULL;
  g_autoptr(HailSipClientTransaction) txn = NULL;
  g_autofree char *branch = hail_sip_stack_new_branch ();
  g_autofree char *via = NULL;
  const char *content_type = "application/sdp";
  GError *error = NULL;

  data->attempts++;
  via = hail_sip_stack_dup_via (self->stack, data->target, branch, &error);
  if (via == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  builder = hail_sip_dialog_build_request (self->dialog, data->method, data->cseq, via);
  if (g_str_equal (data->method, "INVITE") || g_str_equal (data->method, "UPDATE"))
    {
      g_autofree char *contact = _hail_sip_session_dup_contact (self, data->target, NULL);

      /* §12.2.1.1: a target refresh carries our Contact. */
      if (contact != NULL)
        hail_sip_message_builder_add_header (builder, "Contact", contact);
      hail_sip_message_builder_add_header (builder, "Allow", HAIL_SIP_SESSION_ALLOW);
      hail_sip_message_builder_add_header (builder, "Supported", HAIL_SIP_SESSION_SUPPORTED);
    }
  for (guint i = 0; data->headers != NULL && data->headers[i] != NULL
                    && data->headers[i + 1] != NULL; i += 2)
    {
      /* The body's own type goes with the body. */
      if (g_ascii_strcasecmp (data->headers[i], "Content-Type") == 0)
        content_type = data->headers[i + 1];
      else
        hail_sip_message_builder_add_header (builder, data->headers[i], data->headers[i + 1]);
    }
  for (guint i = 0; i < data->auth_sent->len; i++)
    {
      HailSipAuthHeader *header = g_ptr_array_index (data->auth_sent, i);

      hail_sip_message_builder_add_header (builder, header->name, header->value);
    }
  if (data->sdp != NULL)
    hail_sip_message_builder_set_body (builder, content_type, data->sdp);
  request = hail_sip_message_builder_finish (builder, &error);
  if (request == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }

  if (g_str_equal (data->method, "ACK"))
    {
      /* §17.1.1.3: the ACK of a 2xx is its own request, outside any
       * transaction; it is kept for the 2xx retransmissions. */
      g_clear_pointer (&self->ack_bytes, g_bytes_unref);
      g_clear_pointer (&self->ack_target, hail_sip_target_free);
      self->ack_bytes = hail_sip_message_get_bytes (request);
      self->ack_target = hail_sip_target_copy (data->target);
      hail_sip_stack_send_async (self->stack, data->target, self->ack_bytes, NULL, ack_sent_cb,
                                 NULL);
      g_task_return_pointer (task, NULL, NULL);
      g_object_unref (task);
      return;
    }
  txn = hail_sip_client_transaction_new (self->stack, request, data->target);
  if (g_str_equal (data->method, "INVITE"))
    g_signal_connect_object (txn, "response", G_CALLBACK (retransmitted_2xx_cb), self, 0);
  hail_sip_client_transaction_run_async (txn, self->cancellable, send_run_cb, task);
}

static void
send_resolved_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SendData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) targets = NULL;
  GError *error = NULL;

  targets = hail_sip_resolver_lookup_finish (result, &error);
  if (targets == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  data->target = hail_sip_target_copy (g_ptr_array_index (targets, 0));
  send_attempt (g_steal_pointer (&task));
}

void
_hail_sip_session_send_async (HailSipSession      *self,
                              const char          *method,
                              guint32              cseq,
                              const char * const  *headers,
                              GBytes              *sdp,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  g_autoptr(HailSipUri) next_hop = NULL;
  SendData *data = g_new0 (SendData, 1);
  gint kind;

  g_task_set_task_data (task, data, (GDestroyNotify) send_data_free);
  data->method = g_strdup (method);
  data->cseq = cseq;
  data->headers = g_strdupv ((char **) headers);
  data->sdp = sdp != NULL ? g_bytes_ref (sdp) : NULL;
  data->auth_sent = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_sip_auth_header_free);
  if (self->dialog == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "There is no dialog");
      return;
    }
  next_hop = hail_sip_dialog_dup_next_hop (self->dialog);
  /* A hop that names no transport is reached the way the dialog started. */
  kind = hail_sip_uri_has_param (next_hop, "transport") ? -1 : self->kind;
  hail_sip_resolver_lookup_async (next_hop, kind, NULL, send_resolved_cb, g_steal_pointer (&task));
}

void
_hail_sip_session_send_body_async (HailSipSession      *self,
                                   const char          *method,
                                   const char * const  *headers,
                                   GBytes              *body,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  _hail_sip_session_send_async (self, method, hail_sip_dialog_next_cseq (self->dialog), headers,
                                body, callback, user_data);
}

HailSipMessage *
_hail_sip_session_send_finish (HailSipSession  *self,
                               GAsyncResult    *result,
                               GError         **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
ack_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) none = NULL;

  none = _hail_sip_session_send_finish (HAIL_SIP_SESSION (source), result, &error);
  if (error != NULL)
    g_debug ("Could not send the ACK: %s", error->message);
}

void
_hail_sip_session_send_ack (HailSipSession *self,
                            guint32         cseq)
{
  _hail_sip_session_send_async (self, "ACK", cseq, NULL, NULL, ack_done_cb, NULL);
}

static void
bye_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  HailSipSession *self = HAIL_SIP_SESSION (source);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) response = NULL;

  response = _hail_sip_session_send_finish (self, result, &error);
  if (response == NULL)
    g_debug ("BYE of %s got no answer: %s", self->call_id, error->message);
  /* §15.1.1: the session is over whatever the answer. */
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, 0,
                               self->reason != NULL ? self->reason : "Call ended");
}

void
_hail_sip_session_send_bye (HailSipSession *self)
{
  if (self->state == HAIL_SIP_SESSION_STATE_TERMINATING
      || self->state == HAIL_SIP_SESSION_STATE_TERMINATED)
    return;
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATING, 0, NULL);
  _hail_sip_session_stop_timers (self);
  _hail_sip_session_send_async (self, "BYE", hail_sip_dialog_next_cseq (self->dialog), NULL, NULL,
                                bye_done_cb, NULL);
}

/* ---- 2xx retransmission (§13.3.1.4) ---- */

static void
clear_ok (HailSipSession *self)
{
  g_clear_handle_id (&self->timer_g_id, g_source_remove);
  g_clear_handle_id (&self->timer_h_id, g_source_remove);
  g_clear_object (&self->ok_txn);
  g_clear_pointer (&self->ok, hail_sip_message_unref);
  self->ok_wants_answer = FALSE;
}

static gboolean
timer_g_cb (gpointer user_data)
{
  HailSipSession *self = user_data;
  g_autoptr(GError) error = NULL;
  guint t2 = hail_sip_stack_get_t2 (self->stack);

  self->timer_g_id = 0;
  if (!hail_sip_server_transaction_respond (self->ok_txn, self->ok, &error))
    g_debug ("Could not retransmit the 2xx: %s", error->message);
  self->ok_interval = MIN (self->ok_interval * 2, t2);
  self->timer_g_id = g_timeout_add (self->ok_interval, timer_g_cb, self);
  return G_SOURCE_REMOVE;
}

static gboolean
timer_h_cb (gpointer user_data)
{
  HailSipSession *self = user_data;

  self->timer_h_id = 0;
  clear_ok (self);
  /* §13.3.1.4: no ACK within 64*T1: the session ends with a BYE. */
  g_debug ("No ACK for the 2xx of %s: hanging up", self->call_id);
  g_free (self->reason);
  self->reason = g_strdup ("The peer never acknowledged the answer");
  _hail_sip_session_send_bye (self);
  return G_SOURCE_REMOVE;
}

void
_hail_sip_session_retransmit_ok (HailSipSession           *self,
                                 HailSipServerTransaction *txn,
                                 HailSipMessage           *ok,
                                 guint32                   cseq)
{
  guint t1 = hail_sip_stack_get_t1 (self->stack);

  clear_ok (self);
  self->ok_txn = g_object_ref (txn);
  self->ok = hail_sip_message_ref (ok);
  self->ok_cseq = cseq;
  self->ok_interval = t1;
  self->timer_g_id = g_timeout_add (t1, timer_g_cb, self);
  self->timer_h_id = g_timeout_add (64 * t1, timer_h_cb, self);
}

/* ---- Session timers (RFC 4028) ---- */

gboolean
_hail_sip_session_parse_expires (HailSipMessage *message,
                                 guint32        *interval,
                                 char          **refresher)
{
  HailSipSpan value, number, param;

  if (!hail_sip_message_get_header (message, "Session-Expires", &value))
    return FALSE;
  number.ptr = value.ptr;
  number.len = 0;
  while (number.len < value.len && g_ascii_isdigit (value.ptr[number.len]))
    number.len++;
  if (!hail_sip_span_to_uint32 (number, interval))
    return FALSE;
  param.ptr = value.ptr + number.len;
  param.len = value.len - number.len;
  *refresher = NULL;
  {
    HailSipSpan found;

    if (hail_sip_params_lookup (param, "refresher", &found))
      *refresher = g_ascii_strdown (found.ptr, (gssize) found.len);
  }
  return TRUE;
}

guint
_hail_sip_session_raised_interval (HailSipMessage *response,
                                   guint           current)
{
  HailSipSpan value, number;
  guint32 min_se = 0;

  if (!hail_sip_message_get_header (response, "Min-SE", &value))
    return 0;
  /* Min-SE = delta-seconds *(SEMI generic-param) */
  number.ptr = value.ptr;
  number.len = 0;
  while (number.len < value.len && g_ascii_isdigit (value.ptr[number.len]))
    number.len++;
  if (!hail_sip_span_to_uint32 (number, &min_se) || min_se <= current
      || min_se > HAIL_SIP_SESSION_MAX_SE)
    {
      g_debug ("Unusable Min-SE in a 422 (we asked for %u s)", current);
      return 0;
    }
  return min_se;
}

void
_hail_sip_session_note_allow (HailSipSession *self,
                              HailSipMessage *message)
{
  HailSipSpan value;

  /* Without Allow the peer said nothing new (RFC 3261 §20.5). */
  if (hail_sip_message_get_header (message, "Allow", &value))
    self->peer_allows_update = hail_sip_message_has_option (message, HAIL_SIP_HEADER_ALLOW,
                                                            "UPDATE");
}

static void send_refresh (HailSipSession *self);

static void
refresh_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HailSipSession *self = HAIL_SIP_SESSION (source);
  guint32 cseq = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) response = NULL;
  guint status;
  guint raised;

  response = _hail_sip_session_send_finish (self, result, &error);
  if (self->state != HAIL_SIP_SESSION_STATE_ESTABLISHED)
    return;
  status = response != NULL ? hail_sip_message_get_status (response) : 408;
  if (status >= 200 && status < 300)
    {
      if (hail_sip_span_equal_str (hail_sip_message_get_cseq (response)->method, "INVITE"))
        _hail_sip_session_send_ack (self, hail_sip_message_get_cseq (response)->number);
      hail_sip_dialog_receive_response (self->dialog, response, FALSE);
      _hail_sip_session_note_allow (self, response);
      self->too_small = 0;
      _hail_sip_session_start_timer (self, response, TRUE);
      return;
    }
  raised = status == 422 ? _hail_sip_session_raised_interval (response, self->session_expires)
                         : 0;
  if (raised != 0 && self->too_small < HAIL_SIP_SESSION_MAX_422)
    {
      /* RFC 4028 §7.4: the peer wants a longer interval: refresh again
       * with it at once. */
      self->too_small++;
      self->session_expires = raised;
      self->min_se = MAX (self->min_se, raised);
      send_refresh (self);
      return;
    }
  g_debug ("Session refresh %u of %s failed: %u", cseq, self->call_id, status);
  /* RFC 4028 §10: 408 or 481 end the session; anything else leaves it
   * to the other side's timer. */
  if (status == 408 || status == 481)
    {
      g_free (self->reason);
      self->reason = g_strdup ("The session refresh failed");
      _hail_sip_session_send_bye (self);
    }
}

/* RFC 4028 §7.4: the refresher's request names itself the refresher and
 * carries our Min-SE. Without an offer to make, an UPDATE without a body
 * is the lightest refresh when the peer takes UPDATE (RFC 3311 §5);
 * otherwise a re-INVITE offers the unchanged session. */
static void
send_refresh (HailSipSession *self)
{
  g_autofree char *expires = g_strdup_printf ("%u;refresher=uac", self->session_expires);
  g_autofree char *min_se = g_strdup_printf ("%u", self->min_se);
  const char *headers[] = { "Session-Expires", expires, "Min-SE", min_se, NULL };
  guint32 cseq = hail_sip_dialog_next_cseq (self->dialog);

  _hail_sip_session_send_async (self, self->peer_allows_update ? "UPDATE" : "INVITE", cseq,
                                headers, self->peer_allows_update ? NULL : self->local_sdp,
                                refresh_done_cb, GUINT_TO_POINTER (cseq));
}

static gboolean
session_timer_cb (gpointer user_data)
{
  HailSipSession *self = user_data;

  self->session_timer_id = 0;
  if (self->state != HAIL_SIP_SESSION_STATE_ESTABLISHED)
    return G_SOURCE_REMOVE;
  if (self->refresher && (self->peer_allows_update || self->local_sdp != NULL)
      && self->reinvite_task == NULL && self->ok == NULL)
    {
      send_refresh (self);
      return G_SOURCE_REMOVE;
    }
  if (self->refresher)
    {
      /* Busy with another offer: try again shortly. */
      self->session_timer_id = g_timeout_add_seconds (MIN (2, self->session_expires / 4 + 1),
                                                      session_timer_cb, self);
      return G_SOURCE_REMOVE;
    }
  /* §10: no refresh arrived in time. */
  g_free (self->reason);
  self->reason = g_strdup ("The session expired");
  _hail_sip_session_send_bye (self);
  return G_SOURCE_REMOVE;
}

void
_hail_sip_session_start_timer (HailSipSession *self,
                               HailSipMessage *message,
                               gboolean        we_are_uac)
{
  g_autofree char *refresher = NULL;
  guint32 interval = 0;
  guint delay;

  g_clear_handle_id (&self->session_timer_id, g_source_remove);
  /* RFC 4028 §7.2, §9: a refresh answered (or asked) without
   * Session-Expires leaves the session without a timer. */
  if (!_hail_sip_session_parse_expires (message, &interval, &refresher))
    {
      self->session_expires = 0;
      return;
    }
  if (interval < self->min_se || interval > HAIL_SIP_SESSION_MAX_SE)
    {
      /* A peer that broke RFC 4028 §9: no refresh storm, no overflow. */
      g_debug ("Ignoring a session interval of %u s (we take %u..%u)", interval, self->min_se,
               HAIL_SIP_SESSION_MAX_SE);
      return;
    }
  self->session_expires = interval;
  if (refresher == NULL)
    self->refresher = we_are_uac;
  else
    self->refresher = g_str_equal (refresher, "uac") == we_are_uac;
  /* §10: refresh half-way; the watcher waits until 32 s (or a third)
   * before the end. */
  if (self->refresher)
    delay = interval * 1000 / 2;
  else
    delay = interval * 1000 - MIN (32000, interval * 1000 / 3);
  self->session_timer_id = g_timeout_add (delay, session_timer_cb, self);
}

void
_hail_sip_session_stop_timers (HailSipSession *self)
{
  clear_ok (self);
  g_clear_handle_id (&self->session_timer_id, g_source_remove);
}

/* ---- Our re-INVITE ---- */

static void reinvite_send (HailSipSession *self);

static gboolean
glare_cb (gpointer user_data)
{
  HailSipSession *self = user_data;

  self->glare_id = 0;
  reinvite_send (self);
  return G_SOURCE_REMOVE;
}

static void
reinvite_done_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HailSipSession *self = HAIL_SIP_SESSION (source);
  g_autoptr(GBytes) offer = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GBytes) answer = NULL;
  GTask *task;
  guint status;

  response = _hail_sip_session_send_finish (self, result, &error);
  if (self->reinvite_task == NULL)
    return;
  if (response == NULL)
    {
      fail_reinvite:
      task = g_steal_pointer (&self->reinvite_task);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  status = hail_sip_message_get_status (response);
  if (status >= 200 && status < 300)
    {
      if (g_str_equal (self->offer_method, "INVITE"))
        _hail_sip_session_send_ack (self, hail_sip_message_get_cseq (response)->number);
      hail_sip_dialog_receive_response (self->dialog, response, FALSE);
      _hail_sip_session_note_allow (self, response);
      _hail_sip_session_start_timer (self, response, TRUE);
      answer = sdp_body (response);
      if (answer == NULL)
        {
          error = g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                               "The answer to our %s has no SDP", self->offer_method);
          goto fail_reinvite;
        }
      _hail_sip_session_set_local_sdp (self, offer);
      task = g_steal_pointer (&self->reinvite_task);
      g_signal_emit (self, _hail_sip_session_signals[SESSION_SIGNAL_REMOTE_ANSWER], 0, answer);
      g_task_return_pointer (task, g_steal_pointer (&answer), (GDestroyNotify) g_bytes_unref);
      g_object_unref (task);
      return;
    }
  if (status == 491 && self->glare_count < HAIL_SIP_SESSION_MAX_GLARE)
    {
      guint delay;

      /* §14.1: the owner of the Call-ID (the dialog's UAC) waits 2.1 to
       * 4 s, the other side 0 to 2 s, in units of 10 ms. */
      if (hail_sip_dialog_get_is_uac (self->dialog))
        delay = (guint) g_random_int_range (210, 401) * 10;
      else
        delay = (guint) g_random_int_range (0, 201) * 10;
      self->glare_count++;
      g_debug ("%s of %s met glare; again in %u ms", self->offer_method, self->call_id, delay);
      g_object_set_data_full (G_OBJECT (self), "hail-reinvite-offer", g_bytes_ref (offer),
                              (GDestroyNotify) g_bytes_unref);
      self->glare_id = g_timeout_add (delay, glare_cb, self);
      return;
    }
  {
    g_autofree char *reason = hail_sip_span_dup (hail_sip_message_get_reason (response));

    error = g_error_new (HAIL_SIP_STATUS_ERROR, (gint) status, "%s", reason);
  }
  /* §14.1 (and RFC 3311 §5.1): a 481 or 408 ends the dialog; other
   * failures keep the old session. */
  if ((status == 481 || status == 408) && self->state == HAIL_SIP_SESSION_STATE_ESTABLISHED)
    _hail_sip_session_send_bye (self);
  goto fail_reinvite;
}

static void
reinvite_send (HailSipSession *self)
{
  GBytes *offer = g_object_get_data (G_OBJECT (self), "hail-reinvite-offer");
  g_autofree char *expires = NULL;
  g_autofree char *min_se = NULL;
  const char *headers[5] = { NULL };

  /* RFC 4028 §7.4: a session-changing request refreshes the session
   * too, with us as refresher. */
  if (self->session_expires != 0)
    {
      expires = g_strdup_printf ("%u;refresher=uac", self->session_expires);
      min_se = g_strdup_printf ("%u", self->min_se);
      headers[0] = "Session-Expires";
      headers[1] = expires;
      headers[2] = "Min-SE";
      headers[3] = min_se;
    }
  _hail_sip_session_send_async (self, self->offer_method,
                                hail_sip_dialog_next_cseq (self->dialog), headers,
                                offer, reinvite_done_cb, g_bytes_ref (offer));
}

static void
start_offer (HailSipSession *self,
             const char     *method,
             GBytes         *offer,
             GTask          *task)
{
  self->reinvite_task = task;
  self->offer_method = method;
  self->glare_count = 0;
  g_object_set_data_full (G_OBJECT (self), "hail-reinvite-offer", g_bytes_ref (offer),
                          (GDestroyNotify) g_bytes_unref);
  reinvite_send (self);
}

void
hail_sip_session_reinvite_async (HailSipSession      *self,
                                 GBytes              *offer,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HAIL_IS_SIP_SESSION (self));
  g_return_if_fail (offer != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_session_reinvite_async);
  if (self->state != HAIL_SIP_SESSION_STATE_ESTABLISHED || self->reinvite_task != NULL
      || self->ok != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "The call is not established or an offer is pending");
      return;
    }
  start_offer (self, "INVITE", offer, g_steal_pointer (&task));
}

void
hail_sip_session_update_async (HailSipSession      *self,
                               GBytes              *offer,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  gboolean early;

  g_return_if_fail (HAIL_IS_SIP_SESSION (self));
  g_return_if_fail (offer != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_session_update_async);
  /* RFC 3311 §5.1: in an early dialog only once the INVITE's offer has
   * its answer (the early answer we sent or got). */
  early = self->state == HAIL_SIP_SESSION_STATE_EARLY && self->dialog != NULL
          && (self->outgoing ? self->answer_seen : self->local_sdp != NULL);
  if ((!early && self->state != HAIL_SIP_SESSION_STATE_ESTABLISHED)
      || self->reinvite_task != NULL || self->ok != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BUSY,
                               "The call has no dialog to update or an offer is pending");
      return;
    }
  start_offer (self, "UPDATE", offer, g_steal_pointer (&task));
}

GBytes *
hail_sip_session_reinvite_finish (HailSipSession  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Requests from the peer ---- */

static void
reply (HailSipSession           *self,
       HailSipServerTransaction *txn,
       HailSipMessage           *request,
       guint                     status,
       GBytes                   *sdp,
       const char               *extra_name,
       const char               *extra_value)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) response = NULL;

  response = _hail_sip_session_build_response (self, request, status, sdp, extra_name,
                                               extra_value, &error);
  if (response == NULL || !hail_sip_server_transaction_respond (txn, response, &error))
    g_debug ("Could not answer %u: %s", status, error->message);
}

static void
handle_offer (HailSipSession           *self,
              HailSipServerTransaction *txn,
              HailSipMessage           *request,
              gboolean                  invite)
{
  g_autoptr(GBytes) offer = sdp_body (request);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipMessage) response = NULL;
  g_autofree char *expires = NULL;
  g_autofree char *refresher = NULL;
  HailSipSpan body = hail_sip_message_get_body (request);
  guint32 interval = 0;

  if (body.len > 0 && offer == NULL)
    {
      reply (self, txn, request, 415, NULL, "Accept", "application/sdp");
      return;
    }
  if (_hail_sip_session_parse_expires (request, &interval, &refresher))
    {
      if (interval < self->min_se)
        {
          g_autofree char *min_se = g_strdup_printf ("%u", self->min_se);

          /* RFC 4028 §9: a refresh that asks for too short an interval. */
          reply (self, txn, request, 422, NULL, "Min-SE", min_se);
          return;
        }
      /* The one who sent the refresh refreshes unless it named us. */
      expires = g_strdup_printf ("%u;refresher=%s", interval,
                                 g_strcmp0 (refresher, "uas") == 0 ? "uas" : "uac");
    }
  _hail_sip_session_note_allow (self, request);
  if (offer == NULL && !invite)
    {
      /* An UPDATE without SDP only refreshes the session. */
      reply (self, txn, request, 200, NULL, expires != NULL ? "Session-Expires" : NULL, expires);
      _hail_sip_session_start_timer (self, request, FALSE);
      return;
    }
  g_signal_emit (self, _hail_sip_session_signals[SESSION_SIGNAL_REMOTE_OFFER], 0, offer, &answer);
  if (answer == NULL)
    {
      /* RFC 3261 §14.2: a refused offer leaves the session as it was. */
      reply (self, txn, request, 488, NULL, NULL, NULL);
      return;
    }
  response = _hail_sip_session_build_response (self, request, 200, answer,
                                               expires != NULL ? "Session-Expires" : NULL,
                                               expires, &error);
  if (response == NULL || !hail_sip_server_transaction_respond (txn, response, &error))
    {
      g_debug ("Could not answer the offer: %s", error->message);
      return;
    }
  _hail_sip_session_set_local_sdp (self, answer);
  _hail_sip_session_start_timer (self, response, FALSE);
  if (invite)
    {
      _hail_sip_session_retransmit_ok (self, txn, response,
                                       hail_sip_message_get_cseq (request)->number);
      self->ok_wants_answer = offer == NULL;
    }
}

static void
handle_ack (HailSipSession *self,
            HailSipMessage *ack)
{
  g_autoptr(GBytes) answer = NULL;

  if (self->ok == NULL || hail_sip_message_get_cseq (ack)->number != self->ok_cseq)
    return;
  if (self->ok_wants_answer)
    answer = sdp_body (ack);
  clear_ok (self);
  if (answer != NULL)
    g_signal_emit (self, _hail_sip_session_signals[SESSION_SIGNAL_REMOTE_ANSWER], 0, answer);
  if (self->state == HAIL_SIP_SESSION_STATE_CONNECTING)
    {
      _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_ESTABLISHED, 0, NULL);
      if (self->bye_wanted)
        _hail_sip_session_send_bye (self);
    }
}

gboolean
hail_sip_session_handle_request (HailSipSession           *self,
                                 HailSipServerTransaction *txn,
                                 HailSipMessage           *request)
{
  g_autoptr(GError) error = NULL;
  guint status = 500;

  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);

  if (self->dialog == NULL || !hail_sip_dialog_matches (self->dialog, request))
    return FALSE;
  g_object_ref (self);
  if (txn == NULL)
    {
      if (hail_sip_message_is_method (request, "ACK"))
        handle_ack (self, request);
      g_object_unref (self);
      return TRUE;
    }
  if (self->state == HAIL_SIP_SESSION_STATE_TERMINATED)
    {
      reply (self, txn, request, 481, NULL, NULL, NULL);
      g_object_unref (self);
      return TRUE;
    }
  if (!hail_sip_dialog_receive_request (self->dialog, request, &status, &error))
    {
      g_debug ("Refusing an in-dialog request: %s", error->message);
      reply (self, txn, request, status, NULL, NULL, NULL);
      g_object_unref (self);
      return TRUE;
    }

  if (hail_sip_message_is_method (request, "BYE"))
    {
      reply (self, txn, request, 200, NULL, NULL, NULL);
      /* An incoming call hung up before our answer was acknowledged, or a
       * BYE on an early dialog: the session ends either way. */
      _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, 0,
                                   "The peer hung up");
    }
  else if (hail_sip_message_is_method (request, "INVITE")
           || hail_sip_message_is_method (request, "UPDATE"))
    {
      gboolean invite = hail_sip_message_is_method (request, "INVITE");

      gboolean offer = hail_sip_message_get_body (request).len > 0;
      g_autofree char *retry = g_strdup_printf ("%d", g_random_int_range (0, 11));

      if (self->reinvite_task != NULL && self->glare_id == 0)
        /* §14.2: our own offer is out: glare. */
        reply (self, txn, request, 491, NULL, NULL, NULL);
      else if (!invite && offer && self->outgoing && !self->answer_seen)
        /* RFC 3311 §5.2: our INVITE's offer has no answer yet. */
        reply (self, txn, request, 491, NULL, NULL, NULL);
      else if (!invite && offer && !self->outgoing
               && self->state != HAIL_SIP_SESSION_STATE_ESTABLISHED && self->local_sdp == NULL)
        /* RFC 3311 §5.2: we have not answered the INVITE's offer yet. */
        reply (self, txn, request, 500, NULL, "Retry-After", retry);
      else if (self->ok != NULL
               || (invite && self->state != HAIL_SIP_SESSION_STATE_ESTABLISHED))
        /* §14.2: our previous 2xx is not acknowledged yet. */
        reply (self, txn, request, 500, NULL, "Retry-After", "1");
      else
        handle_offer (self, txn, request, invite);
    }
  else if (hail_sip_message_is_method (request, "REFER"))
    {
      if (self->state == HAIL_SIP_SESSION_STATE_ESTABLISHED)
        _hail_sip_session_receive_refer (self, txn, request);
      else
        reply (self, txn, request, 491, NULL, NULL, NULL);
    }
  else if (hail_sip_message_is_method (request, "NOTIFY"))
    {
      guint status = 200;

      _hail_sip_session_receive_notify (self, request, &status);
      reply (self, txn, request, status, NULL, NULL, NULL);
    }
  else if (hail_sip_message_is_method (request, "OPTIONS")
           || hail_sip_message_is_method (request, "INFO"))
    {
      reply (self, txn, request, 200, NULL, NULL, NULL);
    }
  else
    {
      reply (self, txn, request, 405, NULL, NULL, NULL);
    }
  g_object_unref (self);
  return TRUE;
}
