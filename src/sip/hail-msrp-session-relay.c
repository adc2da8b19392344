/* hail-msrp-session-relay.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailMsrpSession through a relay (RFC 4976), client side. The session
 * connects to the account's relay over TLS before the SDP is written, asks
 * it for a path with AUTH (answering the 401 with the SIP account's digest
 * credentials), and puts the Use-Path it gets before its own URI in a=path.
 * Every frame then goes on that one connection: the relay takes the
 * peer's frames for us by the session-id of its Use-Path. The grant lasts
 * Expires seconds, so the session sends AUTH again on the same connection
 * at two thirds of it, for as long as it lives (one AUTH per session, not
 * one per account: sessions are short and each has its connection).
 */
#include "config.h"

#include "hail-msrp-limits.h"
#include "hail-msrp-relay.h"
#include "hail-msrp-session-private.h"
#include "hail-sip-error.h"
#include "hail-sip-log.h"

#include <string.h>

static void
log_frame (HailMsrpSession *self,
           gboolean         outgoing,
           GBytes          *frame)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (frame, &len);

  /* The SIP trace's redaction: Authorization keeps no response or nonce. */
  hail_sip_log_message (outgoing, "MSRP TLS", hail_msrp_uri_to_string (self->relay), data, len);
}

/* Ends the connect task (if still pending) and the timers; the session
 * itself fails in _hail_msrp_session_fail(), which calls this. */
void
_hail_msrp_session_relay_stop (HailMsrpSession *self,
                               const GError    *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->relay_task);

  g_clear_handle_id (&self->relay_timer_id, g_source_remove);
  g_clear_pointer (&self->relay_tid, g_free);
  g_queue_clear_full (&self->relay_early, (GDestroyNotify) hail_msrp_message_unref);
  if (task == NULL)
    return;
  if (error != NULL)
    g_task_return_new_error (task, error->domain, error->code, "%s", error->message);
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The MSRP session was closed");
}

/* Fails the session with @error about the relay; before the first grant
 * it goes to the connect task too. */
static void G_GNUC_PRINTF (4, 5)
relay_fail (HailMsrpSession *self,
            GQuark           domain,
            int              code,
            const char      *format,
            ...)
{
  GError *error;
  va_list args;

  va_start (args, format);
  error = g_error_new_valist (domain, code, format, args);
  va_end (args);
  g_prefix_error (&error, "MSRP relay %s: ", hail_msrp_uri_to_string (self->relay));
  _hail_msrp_session_fail (self, error);
}

static gboolean
answer_timeout_cb (gpointer user_data)
{
  HailMsrpSession *self = user_data;

  self->relay_timer_id = 0;
  relay_fail (self, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT, "no answer to AUTH within %u ms",
              self->transaction_timeout);
  return G_SOURCE_REMOVE;
}

static void
send_auth (HailMsrpSession *self)
{
  g_autoptr(GBytes) frame = NULL;

  g_clear_pointer (&self->relay_tid, g_free);
  /* No Expires: the relay grants its own (RFC 4976 §5.1 makes asking
   * optional), and Kamailio's msrp module reads an asked one wrongly and
   * answers 423. */
  frame = hail_msrp_relay_build_auth (self->relay, self->local_uri, self->relay_sent, 0,
                                      &self->relay_tid);
  log_frame (self, TRUE, frame);
  g_clear_handle_id (&self->relay_timer_id, g_source_remove);
  self->relay_timer_id = g_timeout_add (self->transaction_timeout, answer_timeout_cb, self);
  hail_msrp_connection_send (self->connection, frame);
}

void
_hail_msrp_session_relay_auth (HailMsrpSession *self)
{
  /* A fresh AUTH: its 401 is answered from scratch. */
  g_clear_pointer (&self->relay_sent, g_ptr_array_unref);
  self->relay_rounds = 0;
  send_auth (self);
}

static gboolean
refresh_cb (gpointer user_data)
{
  HailMsrpSession *self = user_data;

  self->relay_timer_id = 0;
  g_debug ("MSRP relay %s: AUTH again before the grant expires",
           hail_msrp_uri_to_string (self->relay));
  _hail_msrp_session_relay_auth (self);
  return G_SOURCE_REMOVE;
}

static void
take_grant (HailMsrpSession *self,
            HailMsrpMessage *response)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) use_path = NULL;
  g_autoptr(GTask) task = NULL;
  guint expires = 0;

  use_path = hail_msrp_relay_read_grant (response, &expires, &error);
  if (use_path == NULL)
    {
      relay_fail (self, error->domain, error->code, "%s", error->message);
      return;
    }
  /* The path in the SDP stays the first one: a relay that grants another
   * on refresh still routes the first while it keeps our connection. */
  if (self->use_path == NULL)
    {
      g_autoptr(GPtrArray) ours = NULL;

      self->use_path = g_steal_pointer (&use_path);
      ours = hail_msrp_path_concat (self->use_path, self->local_path);
      self->sdp_path = hail_msrp_path_to_string (ours);
    }
  g_debug ("MSRP relay %s granted %s for %u s", hail_msrp_uri_to_string (self->relay),
           self->sdp_path, expires);
  g_clear_handle_id (&self->relay_timer_id, g_source_remove);
  self->relay_timer_id = g_timeout_add_seconds (MAX (expires * 2 / 3, 1u), refresh_cb, self);
  task = g_steal_pointer (&self->relay_task);
  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static void
answer_challenge (HailMsrpSession *self,
                  HailMsrpMessage *response)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) challenges = NULL;
  g_autoptr(GPtrArray) headers = NULL;
  HailSipAuthRequest request = {
    .method = "AUTH",
    /* RFC 4976 §5.1: the digest-uri is the relay's URI. */
    .uri = hail_msrp_uri_to_string (self->relay),
    .sent = self->relay_sent,
  };

  if (++self->relay_rounds > HAIL_SIP_AUTH_MAX_ATTEMPTS)
    {
      relay_fail (self, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED,
                  "AUTH challenged %u times", HAIL_SIP_AUTH_MAX_ATTEMPTS);
      return;
    }
  challenges = hail_msrp_relay_dup_challenges (response, &error);
  if (challenges != NULL)
    headers = hail_sip_auth_respond (self->relay_auth, HAIL_SIP_AUTH_KIND_WWW,
                                     (const char * const *) challenges, &request, &error);
  if (headers == NULL)
    {
      if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED))
        relay_fail (self, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED,
                    "the user name or password was refused (401)");
      else
        relay_fail (self, error->domain, error->code, "%s", error->message);
      return;
    }
  g_clear_pointer (&self->relay_sent, g_ptr_array_unref);
  self->relay_sent = g_steal_pointer (&headers);
  send_auth (self);
}

gboolean
_hail_msrp_session_relay_response (HailMsrpSession *self,
                                   HailMsrpMessage *message)
{
  guint code;
  HailSipSpan comment;

  if (self->relay == NULL || self->relay_tid == NULL ||
      !hail_sip_span_equal_str (hail_msrp_message_get_transaction_id (message), self->relay_tid))
    return FALSE;
  log_frame (self, FALSE, hail_msrp_message_get_bytes (message));
  g_clear_pointer (&self->relay_tid, g_free);
  g_clear_handle_id (&self->relay_timer_id, g_source_remove);
  code = hail_msrp_message_get_status_code (message);
  comment = hail_msrp_message_get_comment (message);
  if (code == 200)
    take_grant (self, message);
  else if (code == 401)
    answer_challenge (self, message);
  else if (code == 403)
    relay_fail (self, HAIL_SIP_ERROR, HAIL_SIP_ERROR_AUTH_REJECTED,
                "the user may not use this relay (403 %.*s)", (int) MIN (comment.len, 128),
                comment.ptr != NULL ? comment.ptr : "");
  else
    relay_fail (self, HAIL_SIP_STATUS_ERROR, (int) code, "AUTH refused with %u %.*s", code,
                (int) MIN (comment.len, 128), comment.ptr != NULL ? comment.ptr : "");
  return TRUE;
}

gboolean
_hail_msrp_session_relay_start (HailMsrpSession  *self,
                                GError          **error)
{
  g_autoptr(GPtrArray) to_path = NULL;

  if (self->use_path == NULL || self->connection == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                   "The MSRP relay %s has not granted a path yet",
                   hail_msrp_uri_to_string (self->relay));
      return FALSE;
    }
  /* RFC 4976 §6: To-Path is our relay's Use-Path then the peer's path. */
  to_path = hail_msrp_path_concat (self->use_path, self->peer_path);
  if (to_path->len > HAIL_MSRP_MAX_PATH_URIS)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "The MSRP path to the peer has more than %d hops", HAIL_MSRP_MAX_PATH_URIS);
      return FALSE;
    }
  g_clear_pointer (&self->remote_path, g_ptr_array_unref);
  self->remote_path = g_steal_pointer (&to_path);
  /* Nobody connects to us: the relay carries the peer's frames. */
  if (self->listener != NULL)
    {
      g_socket_listener_close (self->listener);
      g_clear_object (&self->listener);
    }
  /* Whatever a=setup says, both ends behind relays must speak first: a
   * relay opens no connection towards its client. The binding SEND is
   * empty, so a peer that speaks first as well loses nothing. */
  self->active = TRUE;
  _hail_msrp_session_send_bind (self);
  _hail_msrp_session_bind (self);
  while (self->state == HAIL_MSRP_SESSION_STATE_READY && !g_queue_is_empty (&self->relay_early))
    {
      g_autoptr(HailMsrpMessage) early = g_queue_pop_head (&self->relay_early);

      _hail_msrp_session_handle_message (self, early);
    }
  return TRUE;
}

void
_hail_msrp_session_relay_hold (HailMsrpSession *self,
                               HailMsrpMessage *message)
{
  if (self->relay == NULL ||
      g_queue_get_length (&self->relay_early) >= HAIL_MSRP_MAX_EARLY_REQUESTS)
    {
      g_debug ("MSRP request before the session started: dropped");
      return;
    }
  g_queue_push_tail (&self->relay_early, hail_msrp_message_ref (message));
}

gsize
_hail_msrp_session_relay_chunk_size (HailMsrpSession *self)
{
  gboolean relayed = self->relay != NULL || (self->peer_path != NULL && self->peer_path->len > 1);

  return relayed ? MIN (self->chunk_size, HAIL_MSRP_RELAY_CHUNK_SIZE) : self->chunk_size;
}

static void
relay_connect_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HailMsrpSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) socket = NULL;
  g_autoptr(HailSipTlsSession) tls = NULL;

  socket = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (self->relay_task == NULL)
    return;
  if (socket == NULL)
    {
      relay_fail (self, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT, "cannot connect: %s",
                  error->message);
      return;
    }
  /* The same rule as SIP over TLS: the certificate must name the host. */
  tls = hail_sip_tls_session_new (self->relay_tls, hail_msrp_uri_get_host (self->relay), &error);
  if (tls == NULL)
    {
      relay_fail (self, error->domain, error->code, "%s", error->message);
      return;
    }
  _hail_msrp_session_take_socket (self, socket, tls);
}

void
hail_msrp_session_connect_relay_async (HailMsrpSession     *self,
                                       HailMsrpUri         *relay,
                                       HailSipAuth         *auth,
                                       HailSipTlsContext   *tls,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSocketClient) client = NULL;
  g_autoptr(GSocketConnectable) target = NULL;

  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));
  g_return_if_fail (relay != NULL && hail_msrp_uri_is_secure (relay));
  g_return_if_fail (HAIL_IS_SIP_AUTH (auth));
  g_return_if_fail (HAIL_IS_SIP_TLS_CONTEXT (tls) && !hail_sip_tls_context_is_server (tls));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_msrp_session_connect_relay_async);
  if (self->state != HAIL_MSRP_SESSION_STATE_IDLE || self->relay != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The MSRP session was already started or has a relay");
      return;
    }
  self->relay = hail_msrp_uri_ref (relay);
  self->relay_auth = g_object_ref (auth);
  self->relay_tls = g_object_ref (tls);
  self->relay_task = g_steal_pointer (&task);

  client = g_socket_client_new ();
  target = g_network_address_new (hail_msrp_uri_get_host (relay), hail_msrp_uri_get_port (relay));
  g_socket_client_set_timeout (client, (self->transaction_timeout + 999) / 1000);
  g_socket_client_connect_async (client, target, self->cancellable, relay_connect_cb,
                                 g_object_ref (self));
}

gboolean
hail_msrp_session_connect_relay_finish (HailMsrpSession  *self,
                                        GAsyncResult     *result,
                                        GError          **error)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

HailMsrpUri *
hail_msrp_session_get_relay (HailMsrpSession *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), NULL);

  return self->relay;
}
