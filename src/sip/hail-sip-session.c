/* hail-sip-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The INVITE session: its life, the INVITE that starts it (either way),
 * CANCEL and the final answers. In-dialog requests are in
 * hail-sip-session-dialog.c.
 */
#include "config.h"

#include "hail-sip-session.h"

#include "hail-sip-error.h"
#include "hail-sip-message-builder.h"
#include "hail-sip-request-sender.h"
#include "hail-sip-session-private.h"

enum {
  PROP_0,
  PROP_STATE,
  PROP_STATUS,
  PROP_REASON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint _hail_sip_session_signals[SESSION_N_SIGNALS];

G_DEFINE_ENUM_TYPE (HailSipSessionState, hail_sip_session_state,
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_CALLING, "calling"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_INCOMING, "incoming"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_RINGING, "ringing"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_EARLY, "early"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_ESTABLISHED, "established"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_TERMINATING, "terminating"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_SESSION_STATE_TERMINATED, "terminated"))

G_DEFINE_FINAL_TYPE (HailSipSession, hail_sip_session, G_TYPE_OBJECT)

const char *
hail_sip_session_state_to_string (HailSipSessionState state)
{
  GEnumClass *klass = g_type_class_ref (HAIL_TYPE_SIP_SESSION_STATE);
  GEnumValue *value = g_enum_get_value (klass, state);

  g_type_class_unref (klass);
  return value != NULL ? value->value_nick : "unknown";
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

static void
fail_task (GTask **task,
           GError  *error)
{
  GTask *t = g_steal_pointer (task);

  if (t == NULL)
    {
      g_error_free (error);
      return;
    }
  g_task_return_error (t, error);
  g_object_unref (t);
}

void
_hail_sip_session_set_state (HailSipSession      *self,
                             HailSipSessionState  state,
                             guint                status,
                             const char          *reason)
{
  g_autoptr(GPtrArray) tasks = NULL;

  if (self->state == HAIL_SIP_SESSION_STATE_TERMINATED || self->state == state)
    return;
  g_object_freeze_notify (G_OBJECT (self));
  self->state = state;
  if (state == HAIL_SIP_SESSION_STATE_TERMINATED)
    {
      char *old = self->reason;

      /* @reason may be self->reason itself. */
      self->status = status;
      self->reason = g_strdup (reason);
      g_free (old);
      reason = self->reason;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
      _hail_sip_session_stop_timers (self);
      g_clear_handle_id (&self->glare_id, g_source_remove);
      g_clear_handle_id (&self->cancel_timer_id, g_source_remove);
      g_info ("Call %s ended: %u %s", self->call_id, status, reason != NULL ? reason : "");
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_thaw_notify (G_OBJECT (self));

  if (state != HAIL_SIP_SESSION_STATE_TERMINATED)
    return;
  /* Anything still waiting learns the end now. */
  if (self->invite_task != NULL)
    fail_task (&self->invite_task,
               status >= 300 ? g_error_new (HAIL_SIP_STATUS_ERROR, (gint) status, "%s",
                                            reason != NULL ? reason : "Call failed")
                             : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                    "The call ended before it was answered"));
  if (self->reinvite_task != NULL)
    fail_task (&self->reinvite_task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                                                          "The call ended"));
  if (self->refer_task != NULL)
    fail_task (&self->refer_task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                                                       "The call ended before the transfer"));
  tasks = g_steal_pointer (&self->hangup_tasks);
  self->hangup_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < tasks->len; i++)
    g_task_return_boolean (g_ptr_array_index (tasks, i), TRUE);
}

char *
_hail_sip_session_dup_contact (HailSipSession       *self,
                               const HailSipTarget  *target,
                               GError              **error)
{
  g_autofree char *uri = hail_sip_stack_dup_contact_uri (self->stack, target, self->local,
                                                         error);

  return uri != NULL ? g_strdup_printf ("<%s>", uri) : NULL;
}

/* ---- Outgoing: the INVITE ---- */

static void attempt_invite (HailSipSession      *self,
                            const HailSipTarget *target);

static void
finish_invite_error (HailSipSession *self,
                     GError         *error)
{
  guint status = 0;
  g_autofree char *reason = NULL;

  if (error->domain == HAIL_SIP_STATUS_ERROR)
    status = (guint) error->code;
  else if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT))
    status = 408;
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    status = 503;
  reason = g_strdup (error->message);
  fail_task (&self->invite_task, error);
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, status, reason);
}

static gboolean
cancel_timeout_cb (gpointer user_data)
{
  HailSipSession *self = user_data;

  /* RFC 3261 §9.1: no final response 64*T1 after our CANCEL: the INVITE
   * is given up as cancelled. */
  self->cancel_timer_id = 0;
  g_debug ("No final response to the cancelled INVITE of %s", self->call_id);
  finish_invite_error (self, g_error_new_literal (HAIL_SIP_STATUS_ERROR, 487,
                                                  "Request Terminated"));
  return G_SOURCE_REMOVE;
}

static void
cancel_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(HailSipSession) self = user_data;
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GError) error = NULL;

  response = hail_sip_client_transaction_run_finish (HAIL_SIP_CLIENT_TRANSACTION (source),
                                                     result, &error);
  if (response == NULL)
    g_debug ("CANCEL of %s failed: %s", self->call_id, error->message);
  /* The INVITE's own final response (487, or a racing 2xx) ends it. */
}

/* RFC 3261 §9.1: the CANCEL copies the INVITE's Request-URI, top Via,
 * From, To, Call-ID, CSeq number and Route, and goes where it went. */
static void
send_cancel (HailSipSession *self)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipMessage) cancel = NULL;
  g_autoptr(HailSipClientTransaction) txn = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cseq = NULL;
  HailSipHeaderIter iter;
  HailSipSpan value;
  const char *names[] = { "From", "To", "Call-ID" };

  if (self->cancel_sent || self->invite == NULL)
    return;
  self->cancel_sent = TRUE;
  builder = hail_sip_message_builder_new_request ("CANCEL", self->request_uri);
  hail_sip_message_iter_init (self->invite, &iter, "Via");
  if (hail_sip_header_iter_next (&iter, &value))
    hail_sip_message_builder_add_header_len (builder, "Via", value.ptr, value.len);
  hail_sip_message_builder_add_header (builder, "Max-Forwards", "70");
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (hail_sip_message_get_header (self->invite, names[i], &value))
      hail_sip_message_builder_add_header_len (builder, names[i], value.ptr, value.len);
  cseq = g_strdup_printf ("%u CANCEL", self->invite_cseq);
  hail_sip_message_builder_add_header (builder, "CSeq", cseq);
  hail_sip_message_iter_init (self->invite, &iter, "Route");
  while (hail_sip_header_iter_next (&iter, &value))
    hail_sip_message_builder_add_header_len (builder, "Route", value.ptr, value.len);
  cancel = hail_sip_message_builder_finish (builder, &error);
  if (cancel == NULL)
    {
      g_debug ("Could not build CANCEL: %s", error->message);
      return;
    }
  txn = hail_sip_client_transaction_new (self->stack, cancel, self->invite_target);
  hail_sip_client_transaction_run_async (txn, self->cancellable, cancel_sent_cb,
                                         g_object_ref (self));
  self->cancel_timer_id = g_timeout_add (64 * hail_sip_stack_get_t1 (self->stack),
                                         cancel_timeout_cb, self);
}

static void
take_answer (HailSipSession *self,
             HailSipMessage *response)
{
  g_autoptr(GBytes) sdp = NULL;

  if (self->answer_seen)
    return;
  sdp = sdp_body (response);
  if (sdp == NULL)
    return;
  self->answer_seen = TRUE;
  g_signal_emit (self, _hail_sip_session_signals[SESSION_SIGNAL_REMOTE_ANSWER], 0, sdp);
}

static void
provisional_cb (HailSipClientTransaction *txn,
                HailSipMessage           *response,
                HailSipSession           *self)
{
  guint status = hail_sip_message_get_status (response);
  const HailSipNameAddr *to = hail_sip_message_get_to (response);

  if (txn != self->invite_txn || self->state == HAIL_SIP_SESSION_STATE_TERMINATED)
    return;
  self->provisional_seen = TRUE;
  if (self->cancel_wanted)
    {
      send_cancel (self);
      return;
    }
  if (status == 100)
    return;
  /* §12.1.2: a provisional response with a tag starts an early dialog;
   * one without a Contact cannot, and is only a ring. */
  if (self->dialog == NULL && to != NULL && hail_sip_span_present (to->tag))
    self->dialog = hail_sip_dialog_new_uac (self->invite, response, NULL);
  take_answer (self, response);
  _hail_sip_session_set_state (self, self->answer_seen ? HAIL_SIP_SESSION_STATE_EARLY
                                                       : HAIL_SIP_SESSION_STATE_RINGING, 0, NULL);
}

static void
retransmitted_2xx_cb (HailSipClientTransaction *txn,
                      HailSipMessage           *response,
                      HailSipSession           *self)
{
  /* RFC 3261 §13.2.2.4: our ACK was lost; send it again. */
  if (self->ack_bytes != NULL && self->ack_target != NULL
      && self->dialog != NULL && hail_sip_dialog_matches (self->dialog, response))
    hail_sip_stack_send_async (self->stack, self->ack_target, self->ack_bytes, NULL, NULL, NULL);
}

static void
invite_acked_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HailSipSession *self = HAIL_SIP_SESSION (source);
  g_autoptr(HailSipMessage) response = user_data;
  g_autoptr(HailSipMessage) none = NULL;
  g_autoptr(GError) error = NULL;

  none = _hail_sip_session_send_finish (self, result, &error);
  if (error != NULL)
    g_debug ("Could not send the ACK: %s", error->message);
  if (self->state == HAIL_SIP_SESSION_STATE_TERMINATED)
    return;
  if (self->cancel_wanted)
    {
      /* §9.1: the 2xx won the race with our CANCEL: end it with BYE. */
      fail_task (&self->invite_task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                          "The call was cancelled"));
      _hail_sip_session_send_bye (self);
      return;
    }
  take_answer (self, response);
  _hail_sip_session_start_timer (self, response, TRUE);
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_ESTABLISHED, 0, NULL);
  if (self->invite_task != NULL)
    {
      GTask *task = g_steal_pointer (&self->invite_task);

      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
    }
}

static void
invite_run_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(HailSipSession) self = user_data;
  HailSipRequestSender *sender = HAIL_SIP_REQUEST_SENDER (source);
  g_autoptr(HailSipMessage) response = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  response = hail_sip_request_sender_run_finish (sender, result, &error);
  if (sender != self->invite_sender || self->state == HAIL_SIP_SESSION_STATE_TERMINATED)
    return;
  self->invite_cseq = hail_sip_request_sender_get_cseq (sender);
  if (response == NULL)
    {
      if (self->cancel_wanted && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          /* Hung up before anything was sent. */
          g_clear_error (&error);
          error = g_error_new_literal (HAIL_SIP_STATUS_ERROR, 487, "Request Terminated");
        }
      finish_invite_error (self, g_steal_pointer (&error));
      return;
    }
  g_clear_handle_id (&self->cancel_timer_id, g_source_remove);
  status = hail_sip_message_get_status (response);
  if (status >= 200 && status < 300)
    {
      g_autoptr(HailSipDialog) confirmed = NULL;

      if (self->dialog != NULL && hail_sip_dialog_matches (self->dialog, response))
        hail_sip_dialog_receive_response (self->dialog, response, TRUE);
      else
        {
          confirmed = hail_sip_dialog_new_uac (self->invite, response, &error);
          if (confirmed == NULL)
            {
              g_prefix_error (&error, "Unusable 2xx: ");
              finish_invite_error (self, g_error_new (HAIL_SIP_STATUS_ERROR, 502, "%s",
                                                      error->message));
              return;
            }
          g_set_object (&self->dialog, confirmed);
        }
      _hail_sip_session_note_allow (self, response);
      /* The ACK goes out first: starting media can take a while. */
      _hail_sip_session_send_async (self, "ACK", self->invite_cseq, NULL, NULL, invite_acked_cb,
                                    hail_sip_message_ref (response));
      return;
    }

  if (status == 422 && !self->cancel_wanted && self->too_small < HAIL_SIP_SESSION_MAX_422)
    {
      guint raised = _hail_sip_session_raised_interval (response, self->wanted_expires);

      /* RFC 4028 §7.1: the same call again (next CSeq, same Call-ID and
       * credentials, same server) asking for at least the interval the
       * 422 wants. */
      if (raised != 0)
        {
          g_debug ("Call %s: session interval raised to %u s after 422", self->call_id, raised);
          self->too_small++;
          self->wanted_expires = raised;
          self->min_se = MAX (self->min_se, raised);
          self->invite_cseq++;
          attempt_invite (self, hail_sip_request_sender_get_target (sender));
          return;
        }
    }
  {
    HailSipSpan reason = hail_sip_message_get_reason (response);
    g_autofree char *text = hail_sip_span_dup (reason);

    finish_invite_error (self, g_error_new (HAIL_SIP_STATUS_ERROR, (gint) status, "%s",
                                            text != NULL && *text != '\0' ? text
                                            : hail_sip_status_get_reason_phrase (status)));
  }
}

/* HailSipRequestSender's "attempt": each INVITE sent (after a challenge,
 * to the next target, to a redirect) is the one CANCEL and ACK follow. */
static void
invite_attempt_cb (HailSipRequestSender     *sender,
                   HailSipClientTransaction *txn,
                   HailSipSession           *self)
{
  HailSipUri *uri;

  if (sender != self->invite_sender)
    return;
  g_set_object (&self->invite_txn, txn);
  g_clear_pointer (&self->invite, hail_sip_message_unref);
  self->invite = hail_sip_message_ref (hail_sip_client_transaction_get_request (txn));
  g_clear_pointer (&self->invite_target, hail_sip_target_free);
  self->invite_target = hail_sip_target_copy (hail_sip_client_transaction_get_target (txn));
  self->kind = self->invite_target->kind;
  self->invite_cseq = hail_sip_request_sender_get_cseq (sender);
  uri = (HailSipUri *) hail_sip_request_sender_get_request_uri (sender);
  if (uri != self->request_uri)
    {
      g_clear_pointer (&self->request_uri, hail_sip_uri_unref);
      self->request_uri = hail_sip_uri_ref (uri);
    }
  /* Nothing of an earlier attempt (a redirected one's early dialog)
   * carries over. */
  g_clear_object (&self->dialog);
  self->answer_seen = FALSE;
  self->provisional_seen = FALSE;
  g_signal_connect_object (txn, "provisional", G_CALLBACK (provisional_cb), self, 0);
  g_signal_connect_object (txn, "response", G_CALLBACK (retransmitted_2xx_cb), self, 0);
}

/* HailSipContactFunc. */
static char *
invite_contact (const HailSipTarget  *target,
                gpointer              user_data,
                GError              **error)
{
  return _hail_sip_session_dup_contact (user_data, target, error);
}

/* Sends the INVITE through a HailSipRequestSender: to @target first when
 * given (a retry after 422), else to the proxy or the Request-URI as
 * RFC 3263 finds them. */
static void
attempt_invite (HailSipSession      *self,
                const HailSipTarget *target)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *expires = g_strdup_printf ("%u", self->wanted_expires);
  g_autofree char *min_se = g_strdup_printf ("%u", self->min_se);
  /* RFC 4028 §7.1: we ask for a session timer; the UAS picks the
   * refresher. */
  const char *headers[] = {
    "Allow", HAIL_SIP_SESSION_ALLOW,
    "Supported", HAIL_SIP_SESSION_SUPPORTED,
    "Session-Expires", expires,
    "Min-SE", min_se,
    NULL
  };
  HailSipRequestSpec spec = { 0 };
  HailSipRequestSender *sender;

  from = g_strdup_printf ("<%s>;tag=%s", hail_sip_uri_to_string (self->local), self->local_tag);
  to = g_strdup_printf ("<%s>", hail_sip_uri_to_string (self->remote));
  spec.method = "INVITE";
  spec.request_uri = self->request_uri;
  spec.target = target;
  spec.from = from;
  spec.to = to;
  spec.call_id = self->call_id;
  spec.cseq = self->invite_cseq;
  spec.headers = headers;
  if (self->local_sdp != NULL)
    {
      spec.content_type = "application/sdp";
      spec.body = self->local_sdp;
    }
  sender = hail_sip_request_sender_new (self->stack, &spec, self->auth);
  hail_sip_request_sender_set_next_hop (sender, self->proxy != NULL ? self->proxy
                                                                     : self->request_uri,
                                        self->kind);
  hail_sip_request_sender_set_contact_func (sender, invite_contact, self);
  hail_sip_request_sender_set_max_redirects (sender, HAIL_SIP_SESSION_MAX_REDIRECTS);
  g_signal_connect_object (sender, "attempt", G_CALLBACK (invite_attempt_cb), self, 0);
  g_clear_object (&self->invite_sender);
  self->invite_sender = sender;
  hail_sip_request_sender_run_async (sender, self->cancellable, invite_run_cb,
                                     g_object_ref (self));
}

/* ---- Incoming ---- */

static void
server_cancelled_cb (HailSipServerTransaction *txn,
                     HailSipSession           *self)
{
  g_autoptr(GError) error = NULL;

  if (txn != self->server_txn)
    return;
  /* RFC 3261 §9.2: the stack answered the CANCEL; the INVITE gets 487. */
  if (!hail_sip_server_transaction_reply (txn, 487, self->local_tag, &error))
    g_debug ("Could not answer 487: %s", error->message);
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, 487,
                               "Request Terminated");
}

/* ---- GObject ---- */

static void
hail_sip_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  HailSipSession *self = HAIL_SIP_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATUS:
      g_value_set_uint (value, self->status);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_session_dispose (GObject *object)
{
  HailSipSession *self = HAIL_SIP_SESSION (object);

  /* Only g_object_run_dispose() gets here with work pending, as each
   * task holds a reference. The timers that would end the session stop
   * below: end it now, or the tasks and the session keep each other. */
  if (self->invite_task != NULL || self->reinvite_task != NULL || self->refer_task != NULL
      || (self->hangup_tasks != NULL && self->hangup_tasks->len > 0))
    _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, 0,
                                 "The session was disposed");
  /* Our requests in flight end with us: CANCEL and in-dialog requests
   * run with this cancellable; an INVITE transaction still waiting for
   * its final response (its completion holds a reference on us) is shut
   * down like the stack would. One that has its answer lingers on in the
   * stack for retransmissions (timers D, M). */
  g_cancellable_cancel (self->cancellable);
  /* The transaction's end must not carry the INVITE to the next server. */
  if (self->invite_sender != NULL)
    hail_sip_request_sender_stop (self->invite_sender);
  _hail_sip_session_stop_timers (self);
  g_clear_handle_id (&self->glare_id, g_source_remove);
  g_clear_handle_id (&self->cancel_timer_id, g_source_remove);
  if (self->invite_txn != NULL
      && (hail_sip_client_transaction_get_state (self->invite_txn)
          == HAIL_SIP_TRANSACTION_STATE_CALLING
          || hail_sip_client_transaction_get_state (self->invite_txn)
          == HAIL_SIP_TRANSACTION_STATE_PROCEEDING))
    g_object_run_dispose (G_OBJECT (self->invite_txn));
  g_clear_object (&self->invite_txn);
  g_clear_object (&self->invite_sender);
  g_clear_object (&self->server_txn);
  g_clear_object (&self->ok_txn);
  g_clear_object (&self->dialog);

  G_OBJECT_CLASS (hail_sip_session_parent_class)->dispose (object);
}

static void
hail_sip_session_finalize (GObject *object)
{
  HailSipSession *self = HAIL_SIP_SESSION (object);

  g_assert (self->invite_task == NULL && self->reinvite_task == NULL && self->refer_task == NULL);
  g_clear_object (&self->stack);
  g_clear_object (&self->auth);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->local, hail_sip_uri_unref);
  g_clear_pointer (&self->remote, hail_sip_uri_unref);
  g_clear_pointer (&self->proxy, hail_sip_uri_unref);
  g_clear_pointer (&self->request_uri, hail_sip_uri_unref);
  g_clear_pointer (&self->local_sdp, g_bytes_unref);
  g_clear_pointer (&self->remote_offer, g_bytes_unref);
  g_clear_pointer (&self->ack_bytes, g_bytes_unref);
  g_clear_pointer (&self->ack_target, hail_sip_target_free);
  g_clear_pointer (&self->invite_target, hail_sip_target_free);
  g_clear_pointer (&self->invite, hail_sip_message_unref);
  g_clear_pointer (&self->request, hail_sip_message_unref);
  g_clear_pointer (&self->ok, hail_sip_message_unref);
  g_clear_pointer (&self->hangup_tasks, g_ptr_array_unref);
  g_free (self->call_id);
  g_free (self->local_tag);
  g_free (self->reason);

  G_OBJECT_CLASS (hail_sip_session_parent_class)->finalize (object);
}

static void
hail_sip_session_class_init (HailSipSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = hail_sip_session_get_property;
  object_class->dispose = hail_sip_session_dispose;
  object_class->finalize = hail_sip_session_finalize;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_SIP_SESSION_STATE,
                       HAIL_SIP_SESSION_STATE_IDLE,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATUS] =
    g_param_spec_uint ("status", NULL, NULL, 0, 699, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _hail_sip_session_signals[SESSION_SIGNAL_REMOTE_OFFER] =
    g_signal_new ("remote-offer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_first_wins, NULL, NULL,
                  G_TYPE_BYTES, 1, G_TYPE_BYTES);
  _hail_sip_session_signals[SESSION_SIGNAL_REMOTE_ANSWER] =
    g_signal_new ("remote-answer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BYTES);
  _hail_sip_session_signals[SESSION_SIGNAL_REFER] =
    g_signal_new ("refer", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
hail_sip_session_init (HailSipSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->hangup_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  self->kind = -1;
  self->offer_method = "INVITE";
  self->wanted_expires = HAIL_SIP_SESSION_EXPIRES;
  self->min_se = HAIL_SIP_SESSION_MIN_SE;
}

HailSipSession *
hail_sip_session_new_outgoing (HailSipStack *stack,
                               HailSipAuth  *auth,
                               HailSipUri   *local,
                               HailSipUri   *remote,
                               HailSipUri   *proxy,
                               gint          kind)
{
  HailSipSession *self;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (stack), NULL);
  g_return_val_if_fail (auth == NULL || HAIL_IS_SIP_AUTH (auth), NULL);
  g_return_val_if_fail (local != NULL && remote != NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_SESSION, NULL);
  self->stack = g_object_ref (stack);
  self->auth = auth != NULL ? g_object_ref (auth) : NULL;
  self->local = hail_sip_uri_ref (local);
  self->remote = hail_sip_uri_ref (remote);
  self->request_uri = hail_sip_uri_ref (remote);
  self->proxy = proxy != NULL ? hail_sip_uri_ref (proxy) : NULL;
  self->kind = kind;
  self->outgoing = TRUE;
  self->call_id = hail_sip_stack_new_call_id ();
  self->local_tag = hail_sip_stack_new_tag ();
  self->invite_cseq = 1;
  return self;
}

HailSipSession *
hail_sip_session_new_incoming (HailSipStack              *stack,
                               HailSipServerTransaction  *txn,
                               HailSipMessage            *request,
                               HailSipUri                *local,
                               GError                   **error)
{
  g_autoptr(HailSipSession) self = NULL;
  HailSipVia via;

  g_return_val_if_fail (HAIL_IS_SIP_STACK (stack), NULL);
  g_return_val_if_fail (HAIL_IS_SIP_SERVER_TRANSACTION (txn), NULL);
  g_return_val_if_fail (request != NULL && hail_sip_message_is_method (request, "INVITE"), NULL);
  g_return_val_if_fail (local != NULL, NULL);

  self = g_object_new (HAIL_TYPE_SIP_SESSION, NULL);
  self->stack = g_object_ref (stack);
  self->local = hail_sip_uri_ref (local);
  if (hail_sip_message_get_from (request) != NULL)
    self->remote = hail_sip_name_addr_get_uri (hail_sip_message_get_from (request));
  if (self->remote == NULL)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                           "The From URI cannot be used");
      return NULL;
    }
  self->local_tag = hail_sip_stack_new_tag ();
  self->dialog = hail_sip_dialog_new_uas (request, self->local_tag, error);
  if (self->dialog == NULL)
    return NULL;
  self->call_id = g_strdup (hail_sip_dialog_get_call_id (self->dialog));
  self->server_txn = g_object_ref (txn);
  self->request = hail_sip_message_ref (request);
  self->remote_offer = sdp_body (request);
  self->state = HAIL_SIP_SESSION_STATE_INCOMING;
  _hail_sip_session_note_allow (self, request);
  if (hail_sip_message_get_via (request, 0, &via))
    {
      if (hail_sip_span_equal_ascii_case (via.transport, "TCP"))
        self->kind = HAIL_SIP_TRANSPORT_KIND_TCP;
      else if (hail_sip_span_equal_ascii_case (via.transport, "TLS"))
        self->kind = HAIL_SIP_TRANSPORT_KIND_TLS;
      else
        self->kind = HAIL_SIP_TRANSPORT_KIND_UDP;
    }
  g_signal_connect_object (txn, "cancelled", G_CALLBACK (server_cancelled_cb), self, 0);
  return g_steal_pointer (&self);
}

gboolean
hail_sip_session_get_refresher (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), FALSE);
  return self->session_expires != 0 && self->refresher;
}

void
hail_sip_session_set_timer (HailSipSession *self,
                            guint           expires,
                            guint           min_se)
{
  g_return_if_fail (HAIL_IS_SIP_SESSION (self));
  g_return_if_fail (min_se >= 1 && min_se <= HAIL_SIP_SESSION_MAX_SE);
  g_return_if_fail (expires >= min_se && expires <= HAIL_SIP_SESSION_MAX_SE);

  self->wanted_expires = expires;
  self->min_se = min_se;
}

HailSipSessionState
hail_sip_session_get_state (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), HAIL_SIP_SESSION_STATE_TERMINATED);
  return self->state;
}

gboolean
hail_sip_session_get_outgoing (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), FALSE);
  return self->outgoing;
}

guint
hail_sip_session_get_status (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), 0);
  return self->status;
}

const char *
hail_sip_session_get_reason (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), NULL);
  return self->reason;
}

const char *
hail_sip_session_get_call_id (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), NULL);
  return self->call_id;
}

HailSipUri *
hail_sip_session_get_remote_uri (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), NULL);
  return self->remote;
}

HailSipDialog *
hail_sip_session_get_dialog (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), NULL);
  return self->dialog;
}

GBytes *
hail_sip_session_get_remote_offer (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), NULL);
  return self->remote_offer;
}

guint
hail_sip_session_get_session_expires (HailSipSession *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), 0);
  return self->session_expires;
}

void
hail_sip_session_invite_async (HailSipSession      *self,
                               GBytes              *offer,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HAIL_IS_SIP_SESSION (self));
  g_return_if_fail (offer != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_session_invite_async);
  if (!self->outgoing || self->state != HAIL_SIP_SESSION_STATE_IDLE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The call was already started");
      return;
    }
  self->invite_task = g_steal_pointer (&task);
  self->local_sdp = g_bytes_ref (offer);
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_CALLING, 0, NULL);
  attempt_invite (self, NULL);
}

gboolean
hail_sip_session_invite_finish (HailSipSession  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
check_incoming (HailSipSession  *self,
                GError         **error)
{
  if (self->outgoing || (self->state != HAIL_SIP_SESSION_STATE_INCOMING
                         && self->state != HAIL_SIP_SESSION_STATE_RINGING
                         && self->state != HAIL_SIP_SESSION_STATE_EARLY))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "The call is %s, not waiting for an answer",
                   hail_sip_session_state_to_string (self->state));
      return FALSE;
    }
  return TRUE;
}

/* A response to the incoming INVITE, with our tag, Contact and SDP. */
static HailSipMessage *
build_response (HailSipSession  *self,
                HailSipMessage  *request,
                guint            status,
                GBytes          *sdp,
                const char      *extra_name,
                const char      *extra_value,
                GError         **error)
{
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(HailSipTarget) target = NULL;
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autofree char *contact = NULL;
  HailSipHeaderIter iter;
  HailSipSpan value;
  HailSipVia via;

  builder = hail_sip_message_builder_new_reply (request, status, NULL, self->local_tag);
  /* §12.1.1: a dialog-making response copies Record-Route. */
  hail_sip_message_iter_init (request, &iter, "Record-Route");
  while (hail_sip_header_iter_next (&iter, &value))
    hail_sip_message_builder_add_header_len (builder, "Record-Route", value.ptr, value.len);
  /* Our Contact as reached from the hop that sent the request. */
  if (hail_sip_message_get_via (request, 0, &via))
    {
      g_autofree char *host = hail_sip_span_dup (hail_sip_span_present (via.received)
                                                 ? via.received : via.host);
      g_autoptr(GInetAddress) ip = g_inet_address_new_from_string (host);

      if (ip != NULL)
        address = G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (ip, via.port != 0
                                                                         ? via.port : 5060));
    }
  if (address == NULL)
    {
      GInetSocketAddress *listen = hail_sip_stack_get_listen_address (self->stack,
                                                                      HAIL_SIP_TRANSPORT_KIND_UDP);

      address = listen != NULL ? g_object_ref (listen) : NULL;
    }
  if (address != NULL)
    {
      target = hail_sip_target_new (self->kind >= 0 ? self->kind : HAIL_SIP_TRANSPORT_KIND_UDP,
                                    address, NULL);
      contact = _hail_sip_session_dup_contact (self, target, NULL);
    }
  if (contact != NULL && status < 300)
    hail_sip_message_builder_add_header (builder, "Contact", contact);
  hail_sip_message_builder_add_header (builder, "Allow", HAIL_SIP_SESSION_ALLOW);
  hail_sip_message_builder_add_header (builder, "Supported", HAIL_SIP_SESSION_SUPPORTED);
  hail_sip_message_builder_add_header (builder, "User-Agent", "Hail/" PACKAGE_VERSION);
  if (extra_name != NULL)
    hail_sip_message_builder_add_header (builder, extra_name, extra_value);
  /* RFC 4028 §9: a 2xx that sets the session interval requires the
   * extension when the peer supports it. */
  if (extra_name != NULL && g_str_equal (extra_name, "Session-Expires") && status < 300
      && hail_sip_message_has_option (request, HAIL_SIP_HEADER_SUPPORTED, "timer"))
    hail_sip_message_builder_add_header (builder, "Require", "timer");
  if (sdp != NULL)
    hail_sip_message_builder_set_body (builder, "application/sdp", sdp);
  return hail_sip_message_builder_finish (builder, error);
}

HailSipMessage *
_hail_sip_session_build_response (HailSipSession  *self,
                                  HailSipMessage  *request,
                                  guint            status,
                                  GBytes          *sdp,
                                  const char      *extra_name,
                                  const char      *extra_value,
                                  GError         **error)
{
  return build_response (self, request, status, sdp, extra_name, extra_value, error);
}

gboolean
hail_sip_session_ring (HailSipSession  *self,
                       GBytes          *early_answer,
                       GError         **error)
{
  g_autoptr(HailSipMessage) response = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), FALSE);

  if (!check_incoming (self, error))
    return FALSE;
  response = build_response (self, self->request, early_answer != NULL ? 183 : 180,
                             early_answer, NULL, NULL, error);
  if (response == NULL || !hail_sip_server_transaction_respond (self->server_txn, response, error))
    return FALSE;
  if (early_answer != NULL)
    _hail_sip_session_set_local_sdp (self, early_answer);
  _hail_sip_session_set_state (self, early_answer != NULL ? HAIL_SIP_SESSION_STATE_EARLY
                                                          : HAIL_SIP_SESSION_STATE_RINGING,
                               0, NULL);
  return TRUE;
}

gboolean
hail_sip_session_accept (HailSipSession  *self,
                         GBytes          *answer,
                         GError         **error)
{
  g_autoptr(HailSipMessage) response = NULL;
  g_autofree char *expires = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), FALSE);
  g_return_val_if_fail (answer != NULL, FALSE);

  if (!check_incoming (self, error))
    return FALSE;
  /* RFC 4028 §9: the peer asked for a session timer. The refresher is
   * the one it named; else the UAC when it supports the extension (a
   * proxy may have added the header), else us. */
  {
    g_autofree char *refresher = NULL;
    guint32 interval = 0;

    if (_hail_sip_session_parse_expires (self->request, &interval, &refresher)
        && interval >= self->min_se)
      {
        if (refresher == NULL || (!g_str_equal (refresher, "uac")
                                  && !g_str_equal (refresher, "uas")))
          refresher = g_strdup (hail_sip_message_has_option (self->request,
                                                             HAIL_SIP_HEADER_SUPPORTED, "timer")
                                ? "uac" : "uas");
        expires = g_strdup_printf ("%u;refresher=%s", interval, refresher);
      }
  }
  response = build_response (self, self->request, 200, answer,
                             expires != NULL ? "Session-Expires" : NULL, expires, error);
  if (response == NULL || !hail_sip_server_transaction_respond (self->server_txn, response, error))
    return FALSE;
  _hail_sip_session_set_local_sdp (self, answer);
  if (expires != NULL)
    _hail_sip_session_start_timer (self, response, FALSE);
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_CONNECTING, 0, NULL);
  _hail_sip_session_retransmit_ok (self, self->server_txn, response,
                                   hail_sip_message_get_cseq (self->request)->number);
  /* RFC 3264 §4: after an offerless INVITE our 200 offers; the ACK
   * answers. */
  self->ok_wants_answer = self->remote_offer == NULL;
  return TRUE;
}

gboolean
hail_sip_session_check_timer (HailSipSession  *self,
                              GError         **error)
{
  g_autoptr(HailSipMessage) response = NULL;
  g_autofree char *refresher = NULL;
  g_autofree char *min_se = NULL;
  guint32 interval = 0;

  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), FALSE);

  if (!check_incoming (self, error))
    return FALSE;
  if (!_hail_sip_session_parse_expires (self->request, &interval, &refresher)
      || interval >= self->min_se)
    return TRUE;
  min_se = g_strdup_printf ("%u", self->min_se);
  response = build_response (self, self->request, 422, NULL, "Min-SE", min_se, error);
  if (response == NULL || !hail_sip_server_transaction_respond (self->server_txn, response, error))
    return FALSE;
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, 422,
                               hail_sip_status_get_reason_phrase (422));
  g_set_error (error, HAIL_SIP_STATUS_ERROR, 422,
               "The caller asked for a session interval of %u s, under our %u s",
               interval, self->min_se);
  return FALSE;
}

gboolean
hail_sip_session_reject (HailSipSession  *self,
                         guint            status,
                         GError         **error)
{
  g_autoptr(HailSipMessage) response = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_SESSION (self), FALSE);
  g_return_val_if_fail (status >= 300 && status <= 699, FALSE);

  if (!check_incoming (self, error))
    return FALSE;
  response = build_response (self, self->request, status, NULL, NULL, NULL, error);
  if (response == NULL || !hail_sip_server_transaction_respond (self->server_txn, response, error))
    return FALSE;
  _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, status,
                               hail_sip_status_get_reason_phrase (status));
  return TRUE;
}

void
hail_sip_session_hangup_async (HailSipSession      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HAIL_IS_SIP_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_session_hangup_async);
  if (self->state == HAIL_SIP_SESSION_STATE_TERMINATED)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_ptr_array_add (self->hangup_tasks, g_steal_pointer (&task));
  switch (self->state)
    {
    case HAIL_SIP_SESSION_STATE_IDLE:
      _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, 0, NULL);
      break;
    case HAIL_SIP_SESSION_STATE_CALLING:
    case HAIL_SIP_SESSION_STATE_RINGING:
    case HAIL_SIP_SESSION_STATE_EARLY:
      if (!self->outgoing)
        {
          if (!hail_sip_session_reject (self, 603, &error))
            _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, 603,
                                         error->message);
          break;
        }
      /* §9.1: CANCEL only after a provisional response; until then it
       * waits for one (the INVITE's timer B bounds the wait). */
      self->cancel_wanted = TRUE;
      /* A cancelled call reaches no other server (RFC 3263 §4.3). */
      if (self->invite_sender != NULL)
        hail_sip_request_sender_stop (self->invite_sender);
      if (self->provisional_seen)
        send_cancel (self);
      break;
    case HAIL_SIP_SESSION_STATE_INCOMING:
      if (!hail_sip_session_reject (self, 603, &error))
        _hail_sip_session_set_state (self, HAIL_SIP_SESSION_STATE_TERMINATED, 603,
                                     error->message);
      break;
    case HAIL_SIP_SESSION_STATE_CONNECTING:
      /* §15: no BYE before the ACK (or timer H). */
      self->bye_wanted = TRUE;
      break;
    case HAIL_SIP_SESSION_STATE_ESTABLISHED:
      /* RFC 3515 §2.4.5: a BYE racing our final NOTIFY would end the
       * transfer before the transferor learns it succeeded. */
      if (self->final_notify_pending)
        self->bye_wanted = TRUE;
      else
        _hail_sip_session_send_bye (self);
      break;
    case HAIL_SIP_SESSION_STATE_TERMINATING:
    case HAIL_SIP_SESSION_STATE_TERMINATED:
    default:
      break;
    }
}

gboolean
hail_sip_session_hangup_finish (HailSipSession  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
