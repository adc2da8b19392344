/* hail-msrp-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * HailMsrpSession: set-up and life cycle. The session listens from the
 * start so that its path (with the port) can go into the SDP; once the
 * offer/answer settled who connects (RFC 6135), the active side connects
 * and binds the connection with a SEND (RFC 4975 §5.4), and the passive side
 * takes the first connection whose first SEND names this session. The
 * transfers themselves are in hail-msrp-session-transfer.c.
 */
#include "config.h"

#include "hail-msrp-limits.h"
#include "hail-msrp-relay.h"
#include "hail-msrp-session-private.h"
#include "hail-sip-error.h"
#include "hail-sip-tls-session.h"

#include <string.h>

enum {
  PROP_0,
  PROP_STATE,
  PROP_ERROR,
  PROP_LOCAL_PATH,
  PROP_CHUNK_SIZE,
  PROP_MAX_MESSAGE_SIZE,
  PROP_TRANSACTION_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint _hail_msrp_session_signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HailMsrpSession, hail_msrp_session, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HailMsrpSessionState, hail_msrp_session_state,
  G_DEFINE_ENUM_VALUE (HAIL_MSRP_SESSION_STATE_IDLE, "idle"),
  G_DEFINE_ENUM_VALUE (HAIL_MSRP_SESSION_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (HAIL_MSRP_SESSION_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (HAIL_MSRP_SESSION_STATE_CLOSED, "closed"),
  G_DEFINE_ENUM_VALUE (HAIL_MSRP_SESSION_STATE_FAILED, "failed"))

static void
set_state (HailMsrpSession      *self,
           HailMsrpSessionState  state)
{
  g_autoptr(GEnumClass) states = g_type_class_ref (HAIL_TYPE_MSRP_SESSION_STATE);

  if (self->state == state)
    return;
  g_info ("MSRP session %s: %s", hail_msrp_uri_get_session_id (self->local_uri),
          g_enum_get_value (states, state)->value_nick);
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
is_over (HailMsrpSession *self)
{
  return self->state == HAIL_MSRP_SESSION_STATE_CLOSED ||
         self->state == HAIL_MSRP_SESSION_STATE_FAILED;
}

/* Drops the connection (without its "closed" reaching us) and the
 * listener. */
static void
shut_down (HailMsrpSession *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->bind_id, g_source_remove);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  if (self->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->connection, self);
      hail_msrp_connection_close (self->connection);
      g_clear_object (&self->connection);
    }
  if (self->listener != NULL)
    {
      g_socket_listener_close (self->listener);
      g_clear_object (&self->listener);
    }
}

void
_hail_msrp_session_fail (HailMsrpSession *self,
                         GError          *error)
{
  g_autoptr(GError) owned = error;
  g_autoptr(HailMsrpSession) hold G_GNUC_UNUSED = g_object_ref (self);

  if (is_over (self))
    return;
  g_debug ("MSRP session %s failed: %s", hail_msrp_uri_get_session_id (self->local_uri),
           error->message);
  self->error = g_steal_pointer (&owned);
  _hail_msrp_session_relay_stop (self, self->error);
  shut_down (self);
  set_state (self, HAIL_MSRP_SESSION_STATE_FAILED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  _hail_msrp_session_end_transfers (self, self->error);
}

static void connection_closed_cb (HailMsrpConnection *connection,
                                  const GError       *error,
                                  HailMsrpSession    *self);

static void
connection_message_cb (HailMsrpConnection *connection,
                       HailMsrpMessage    *message,
                       HailMsrpSession    *self)
{
  _hail_msrp_session_handle_message (self, message);
}

static void
connection_invalid_cb (HailMsrpConnection *connection,
                       GBytes             *frame,
                       const GError       *error,
                       HailMsrpSession    *self)
{
  /* A stranger that sends garbage first is turned away; the bound peer's
   * (or the relay's) bad request gets a 400 (RFC 4975 §7.2) and the session
   * goes on. */
  if (!self->bound && self->relay == NULL)
    _hail_msrp_session_reject_trial (self);
  else
    _hail_msrp_session_answer_invalid (self, frame);
}

static void
connection_drained_cb (HailMsrpConnection *connection,
                       HailMsrpSession    *self)
{
  _hail_msrp_session_pump (self);
}

static void
connection_ready_cb (HailMsrpConnection *connection,
                     HailMsrpSession    *self)
{
  /* RFC 4976 §5.1: a relay hears AUTH first, before any session. */
  if (self->relay != NULL && self->state == HAIL_MSRP_SESSION_STATE_IDLE)
    {
      _hail_msrp_session_relay_auth (self);
      return;
    }
  /* RFC 4975 §5.4: the active side speaks first, so that the passive side
   * learns which session the connection belongs to. */
  if (self->active)
    {
      _hail_msrp_session_send_bind (self);
      _hail_msrp_session_bind (self);
    }
}

static void
attach (HailMsrpSession    *self,
        HailMsrpConnection *connection)
{
  g_set_object (&self->connection, connection);
  g_signal_connect_object (connection, "ready", G_CALLBACK (connection_ready_cb), self, 0);
  g_signal_connect_object (connection, "message", G_CALLBACK (connection_message_cb), self, 0);
  g_signal_connect_object (connection, "invalid", G_CALLBACK (connection_invalid_cb), self, 0);
  g_signal_connect_object (connection, "drained", G_CALLBACK (connection_drained_cb), self, 0);
  g_signal_connect_object (connection, "closed", G_CALLBACK (connection_closed_cb), self, 0);
}

static char *
label_for (GSocketConnection *connection,
           gboolean           secure)
{
  g_autoptr(GSocketAddress) remote = g_socket_connection_get_remote_address (connection, NULL);
  g_autofree char *ip = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return g_strdup (secure ? "TLS peer" : "TCP peer");
  ip = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote)));
  return g_strdup_printf (strchr (ip, ':') != NULL ? "%s [%s]:%u" : "%s %s:%u",
                          secure ? "TLS" : "TCP", ip,
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (remote)));
}

/* Our own connection, to the peer or to our relay: in use from now. */
void
_hail_msrp_session_take_socket (HailMsrpSession   *self,
                                GSocketConnection *socket,
                                HailSipTlsSession *tls)
{
  g_autofree char *label = label_for (socket, tls != NULL);
  g_autoptr(HailMsrpConnection) connection = hail_msrp_connection_new (socket, tls, label);

  attach (self, connection);
  hail_msrp_connection_start (connection);
}

static void accept_next (HailMsrpSession *self);

void
_hail_msrp_session_reject_trial (HailMsrpSession *self)
{
  g_clear_handle_id (&self->bind_id, g_source_remove);
  if (self->connection != NULL)
    {
      /* Let a 481 reach the stranger before the connection goes. */
      g_signal_handlers_disconnect_by_data (self->connection, self);
      hail_msrp_connection_close_soon (self->connection);
      g_clear_object (&self->connection);
    }
  accept_next (self);
}

void
_hail_msrp_session_bind (HailMsrpSession *self)
{
  if (self->bound)
    return;
  self->bound = TRUE;
  g_clear_handle_id (&self->bind_id, g_source_remove);
  if (self->listener != NULL)
    {
      /* One connection per session: nobody else may connect now. */
      g_socket_listener_close (self->listener);
      g_clear_object (&self->listener);
    }
  set_state (self, HAIL_MSRP_SESSION_STATE_READY);
  _hail_msrp_session_pump (self);
}

static void
connection_closed_cb (HailMsrpConnection *connection,
                      const GError       *error,
                      HailMsrpSession    *self)
{
  if (connection != self->connection)
    return;
  if (!self->bound && !self->active && self->relay == NULL)
    {
      /* A stranger's connection on trial went away: keep listening. */
      g_debug ("MSRP connection %s closed before binding",
               hail_msrp_connection_get_label (connection));
      _hail_msrp_session_reject_trial (self);
      return;
    }
  if (self->relay != NULL && self->relay_task != NULL)
    {
      /* Before the grant: say which relay (an untrusted certificate's
       * subject and issuer come in @error). */
      _hail_msrp_session_fail (self, g_error_new (error != NULL ? error->domain : HAIL_SIP_ERROR,
                                                  error != NULL ? error->code
                                                                : HAIL_SIP_ERROR_TRANSPORT,
                                                  "MSRP relay %s: %s",
                                                  hail_msrp_uri_to_string (self->relay),
                                                  error != NULL ? error->message
                                                                : "the connection was closed"));
      return;
    }
  _hail_msrp_session_fail (self, error != NULL
                                   ? g_error_copy (error)
                                   : g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                                  "The connection %s was closed",
                                                  hail_msrp_connection_get_label (connection)));
}

/* Whether our connection is TLS: the active side follows the first hop
 * of the peer's path (which may be the peer's relay), the passive side
 * its own URI. */
static gboolean
uses_tls (HailMsrpSession *self)
{
  if (self->active)
    return hail_msrp_uri_is_secure (self->remote_path->pdata[0]);
  return self->secure;
}

/* The peer's a=fingerprint names its own certificate; a relay between us
 * presents another one, which is checked against the CAs instead. */
static gboolean
pinned (HailMsrpSession *self)
{
  return self->remote_fingerprint != NULL && self->remote_path->len == 1;
}

/* TLS: the settings this side uses, once its role is known. */
static gboolean
prepare_tls (HailMsrpSession  *self,
             GError          **error)
{
  HailSipTlsContext *given = self->active ? self->tls_client : self->tls_server;

  if (!uses_tls (self))
    return TRUE;
  if (given != NULL && !pinned (self))
    {
      g_set_object (&self->tls, given);
      return TRUE;
    }
  g_clear_object (&self->tls);
  /* An msrp session whose peer is behind an msrps relay has no identity
   * of its own to present: a plain verifying client. */
  if (self->identity == NULL)
    self->tls = hail_sip_tls_context_new_client (self->ca_file, error);
  else
    self->tls = hail_sip_tls_context_new_for_identity (self->identity, !self->active,
                                                       self->active ? self->ca_file : NULL,
                                                       error);
  return self->tls != NULL;
}

/* The TLS session of a new connection: pinned to the peer's fingerprint,
 * else (active) verified for the host of its path. */
static HailSipTlsSession *
new_tls (HailMsrpSession  *self,
         GError          **error)
{
  HailMsrpUri *peer = self->remote_path->pdata[0];

  if (!uses_tls (self))
    return NULL;
  if (pinned (self))
    return hail_sip_tls_session_new_pinned (self->tls, self->remote_fingerprint, error);
  /* The same rule as SIP over TLS: the certificate must name the host of
   * the path we were given. */
  return hail_sip_tls_session_new (self->tls, self->active ? hail_msrp_uri_get_host (peer) : NULL,
                                   error);
}

static gboolean
bind_timeout_cb (gpointer user_data)
{
  HailMsrpSession *self = user_data;

  self->bind_id = 0;
  g_debug ("MSRP connection sent no SEND for this session in time");
  _hail_msrp_session_reject_trial (self);
  return G_SOURCE_REMOVE;
}

static void
accept_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(HailMsrpSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) socket = NULL;
  g_autoptr(HailSipTlsSession) tls = NULL;
  g_autoptr(HailMsrpConnection) connection = NULL;
  g_autofree char *label = NULL;

  socket = g_socket_listener_accept_finish (G_SOCKET_LISTENER (source), result, NULL, &error);
  if (is_over (self) || self->bound)
    return;
  if (socket == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      _hail_msrp_session_fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                                  "Cannot accept MSRP connections: %s",
                                                  error->message));
      return;
    }
  label = label_for (socket, uses_tls (self));
  tls = new_tls (self, &error);
  if (uses_tls (self) && tls == NULL)
    {
      _hail_msrp_session_fail (self, g_steal_pointer (&error));
      return;
    }
  g_debug ("MSRP connection from %s", label);
  connection = hail_msrp_connection_new (socket, tls, label);
  attach (self, connection);
  /* RFC 4975 §5.4: the connection is ours once its first SEND names us;
   * one that stays silent is dropped so another peer can try. */
  self->bind_id = g_timeout_add (self->transaction_timeout, bind_timeout_cb, self);
  hail_msrp_connection_start (connection);
}

static void
accept_next (HailMsrpSession *self)
{
  if (is_over (self) || self->listener == NULL)
    return;
  g_socket_listener_accept_async (self->listener, self->cancellable, accept_cb,
                                  g_object_ref (self));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(HailMsrpSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketConnection) socket = NULL;
  g_autoptr(HailSipTlsSession) tls = NULL;
  HailMsrpUri *peer;

  socket = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, &error);
  if (is_over (self))
    return;
  peer = self->remote_path->pdata[0];
  if (socket == NULL)
    {
      _hail_msrp_session_fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                                  "Cannot connect to %s: %s",
                                                  hail_msrp_uri_to_string (peer),
                                                  error->message));
      return;
    }
  tls = new_tls (self, &error);
  if (uses_tls (self) && tls == NULL)
    {
      _hail_msrp_session_fail (self, g_steal_pointer (&error));
      return;
    }
  _hail_msrp_session_take_socket (self, socket, tls);
}

static void
hail_msrp_session_dispose (GObject *object)
{
  HailMsrpSession *self = (HailMsrpSession *)object;

  /* Every send holds a reference through its task, so none is left. */
  shut_down (self);
  g_clear_pointer (&self->incoming, g_hash_table_unref);
  g_clear_pointer (&self->refused, g_hash_table_unref);
  g_clear_pointer (&self->by_tid, g_hash_table_unref);
  g_queue_clear_full (&self->transactions,
                      (GDestroyNotify) _hail_msrp_session_transaction_free);
  g_clear_object (&self->tls_client);
  g_clear_object (&self->tls_server);
  g_clear_object (&self->tls);
  g_clear_object (&self->identity);
  _hail_msrp_session_relay_stop (self, NULL);
  g_clear_object (&self->relay_auth);
  g_clear_object (&self->relay_tls);

  G_OBJECT_CLASS (hail_msrp_session_parent_class)->dispose (object);
}

static void
hail_msrp_session_finalize (GObject *object)
{
  HailMsrpSession *self = (HailMsrpSession *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->local_uri, hail_msrp_uri_unref);
  g_clear_pointer (&self->local_path, g_ptr_array_unref);
  g_clear_pointer (&self->remote_path, g_ptr_array_unref);
  g_clear_pointer (&self->peer_path, g_ptr_array_unref);
  g_clear_pointer (&self->relay, hail_msrp_uri_unref);
  g_clear_pointer (&self->use_path, g_ptr_array_unref);
  g_clear_pointer (&self->sdp_path, g_free);
  g_clear_pointer (&self->relay_sent, g_ptr_array_unref);
  g_clear_pointer (&self->remote_fingerprint, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (hail_msrp_session_parent_class)->finalize (object);
}

static void
hail_msrp_session_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  HailMsrpSession *self = HAIL_MSRP_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    case PROP_LOCAL_PATH:
      g_value_set_string (value, hail_msrp_session_get_local_path (self));
      break;
    case PROP_CHUNK_SIZE:
      g_value_set_uint (value, (guint) self->chunk_size);
      break;
    case PROP_MAX_MESSAGE_SIZE:
      g_value_set_uint64 (value, self->max_message_size);
      break;
    case PROP_TRANSACTION_TIMEOUT:
      g_value_set_uint (value, self->transaction_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_msrp_session_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  HailMsrpSession *self = HAIL_MSRP_SESSION (object);

  switch (prop_id)
    {
    case PROP_CHUNK_SIZE:
      hail_msrp_session_set_chunk_size (self, g_value_get_uint (value));
      break;
    case PROP_MAX_MESSAGE_SIZE:
      hail_msrp_session_set_max_message_size (self, g_value_get_uint64 (value));
      break;
    case PROP_TRANSACTION_TIMEOUT:
      hail_msrp_session_set_transaction_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_msrp_session_class_init (HailMsrpSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = hail_msrp_session_dispose;
  object_class->finalize = hail_msrp_session_finalize;
  object_class->get_property = hail_msrp_session_get_property;
  object_class->set_property = hail_msrp_session_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_MSRP_SESSION_STATE,
                       HAIL_MSRP_SESSION_STATE_IDLE, G_PARAM_READABLE | flags);
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, G_PARAM_READABLE | flags);
  properties[PROP_LOCAL_PATH] =
    g_param_spec_string ("local-path", NULL, NULL, NULL, G_PARAM_READABLE | flags);
  properties[PROP_CHUNK_SIZE] =
    g_param_spec_uint ("chunk-size", NULL, NULL, 1, HAIL_MSRP_MAX_CHUNK_SIZE,
                       HAIL_MSRP_DEFAULT_CHUNK_SIZE, G_PARAM_READWRITE | flags);
  properties[PROP_MAX_MESSAGE_SIZE] =
    g_param_spec_uint64 ("max-message-size", NULL, NULL, 0, HAIL_MSRP_MAX_MESSAGE_SIZE_CEILING,
                         HAIL_MSRP_DEFAULT_MAX_MESSAGE_SIZE, G_PARAM_READWRITE | flags);
  properties[PROP_TRANSACTION_TIMEOUT] =
    g_param_spec_uint ("transaction-timeout", NULL, NULL, 1, G_MAXINT,
                       HAIL_MSRP_TRANSACTION_TIMEOUT_MS, G_PARAM_READWRITE | flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  _hail_msrp_session_signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_BYTES);
  _hail_msrp_session_signals[SIGNAL_RECEIVE_PROGRESS] =
    g_signal_new ("receive-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_INT64);
  _hail_msrp_session_signals[SIGNAL_RECEIVE_ABORTED] =
    g_signal_new ("receive-aborted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_ERROR,
                  HAIL_TYPE_MSRP_REASSEMBLY);
  _hail_msrp_session_signals[SIGNAL_SEND_PROGRESS] =
    g_signal_new ("send-progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, HAIL_TYPE_MSRP_OUTGOING, G_TYPE_UINT64,
                  G_TYPE_UINT64);
  _hail_msrp_session_signals[SIGNAL_CHUNK_RECEIVED] =
    g_signal_new ("chunk-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_UINT64, G_TYPE_INT64,
                  G_TYPE_BYTES);
  _hail_msrp_session_signals[SIGNAL_SEND_REPORTED] =
    g_signal_new ("send-reported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, HAIL_TYPE_MSRP_OUTGOING, G_TYPE_UINT64);
}

static void
hail_msrp_session_init (HailMsrpSession *self)
{
  self->cancellable = g_cancellable_new ();
  self->by_tid = g_hash_table_new (g_str_hash, g_str_equal);
  self->incoming = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) _hail_msrp_session_incoming_free);
  self->refused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->waiting);
  g_queue_init (&self->inflight);
  g_queue_init (&self->transactions);
  g_queue_init (&self->relay_early);
  self->chunk_size = HAIL_MSRP_DEFAULT_CHUNK_SIZE;
  self->max_message_size = HAIL_MSRP_DEFAULT_MAX_MESSAGE_SIZE;
  self->transaction_timeout = HAIL_MSRP_TRANSACTION_TIMEOUT_MS;
}

HailMsrpSession *
hail_msrp_session_new (GInetSocketAddress  *address,
                       gboolean             secure,
                       GError             **error)
{
  g_autoptr(HailMsrpSession) self = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *session_id = NULL;
  g_autofree char *host = NULL;
  guint port;

  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (HAIL_TYPE_MSRP_SESSION, NULL);
  self->secure = secure;
  if (secure)
    {
      self->identity = hail_sip_tls_identity_dup_default (error);
      if (self->identity == NULL)
        return NULL;
    }
  session_id = hail_msrp_uri_new_session_id (error);
  if (session_id == NULL)
    return NULL;
  self->listener = g_socket_listener_new ();
  if (!g_socket_listener_add_address (self->listener, G_SOCKET_ADDRESS (address),
                                      G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, NULL,
                                      &bound, error))
    {
      g_prefix_error (error, "Cannot listen for MSRP: ");
      return NULL;
    }
  host = g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (bound)));
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  self->local_uri = hail_msrp_uri_new (secure, host, port, session_id);
  self->local_path = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);
  g_ptr_array_add (self->local_path, hail_msrp_uri_ref (self->local_uri));
  return g_steal_pointer (&self);
}

void
hail_msrp_session_set_tls (HailMsrpSession   *self,
                           HailSipTlsContext *client,
                           HailSipTlsContext *server)
{
  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));
  g_return_if_fail (client == NULL || !hail_sip_tls_context_is_server (client));
  g_return_if_fail (server == NULL || hail_sip_tls_context_is_server (server));

  g_set_object (&self->tls_client, client);
  g_set_object (&self->tls_server, server);
}

const char *
hail_msrp_session_get_fingerprint (HailMsrpSession *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), NULL);

  /* Through a relay nobody reaches our certificate: nothing to pin. */
  if (self->relay != NULL || self->identity == NULL)
    return NULL;
  return hail_sip_tls_identity_get_fingerprint (self->identity);
}

gboolean
hail_msrp_session_set_remote_fingerprint (HailMsrpSession  *self,
                                          const char       *fingerprint,
                                          GError          **error)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), FALSE);
  g_return_val_if_fail (self->state == HAIL_MSRP_SESSION_STATE_IDLE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (fingerprint != NULL && hail_sip_tls_fingerprint_check (fingerprint, error) == 0)
    {
      g_prefix_error (error, "The peer's certificate fingerprint: ");
      return FALSE;
    }
  g_free (self->remote_fingerprint);
  self->remote_fingerprint = g_strdup (fingerprint);
  return TRUE;
}

void
hail_msrp_session_set_ca_file (HailMsrpSession *self,
                               const char      *ca_file)
{
  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
}

HailMsrpUri *
hail_msrp_session_get_local_uri (HailMsrpSession *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), NULL);

  return self->local_uri;
}

const char *
hail_msrp_session_get_local_path (HailMsrpSession *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), NULL);

  /* RFC 4976 §6: through a relay, the path is its Use-Path then us. */
  if (self->sdp_path != NULL)
    return self->sdp_path;
  return hail_msrp_uri_to_string (self->local_uri);
}

gboolean
hail_msrp_session_set_remote_path (HailMsrpSession     *self,
                                   const char * const  *path,
                                   GError             **error)
{
  g_autoptr(GPtrArray) uris = NULL;
  HailMsrpUri *peer;

  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (self->state == HAIL_MSRP_SESSION_STATE_IDLE, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  uris = hail_msrp_path_parse (path, error);
  if (uris == NULL)
    return FALSE;
  /* The peer itself is the last hop; relays before it (RFC 4976) may be
   * reached over TLS whatever the session's own transport. */
  peer = uris->pdata[uris->len - 1];
  if (hail_msrp_uri_is_secure (peer) != self->secure)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "The peer's MSRP path %s does not match our %s", hail_msrp_uri_to_string (peer),
                   self->secure ? "TLS" : "TCP");
      return FALSE;
    }
  g_clear_pointer (&self->remote_path, g_ptr_array_unref);
  g_clear_pointer (&self->peer_path, g_ptr_array_unref);
  self->peer_path = g_steal_pointer (&uris);
  self->remote_path = g_ptr_array_ref (self->peer_path);
  return TRUE;
}

HailSdpSetup
hail_msrp_session_answer_setup (HailSdpSetup offered)
{
  switch (offered)
    {
    case HAIL_SDP_SETUP_ACTIVE:
      return HAIL_SDP_SETUP_PASSIVE;
    case HAIL_SDP_SETUP_PASSIVE:
    case HAIL_SDP_SETUP_ACTPASS:
      /* RFC 6135 §4.1: an answerer to actpass takes the active role. */
      return HAIL_SDP_SETUP_ACTIVE;
    case HAIL_SDP_SETUP_HOLDCONN:
    default:
      return HAIL_SDP_SETUP_HOLDCONN;
    }
}

gboolean
hail_msrp_session_start (HailMsrpSession  *self,
                         HailSdpSetup      setup,
                         GError          **error)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state != HAIL_MSRP_SESSION_STATE_IDLE || self->remote_path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED,
                           self->remote_path == NULL ? "The peer's MSRP path is not known"
                                                     : "The MSRP session was already started");
      return FALSE;
    }
  if (setup != HAIL_SDP_SETUP_ACTIVE && setup != HAIL_SDP_SETUP_PASSIVE)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED,
                   "An MSRP session starts active or passive, not %s",
                   hail_sdp_setup_to_string (setup));
      return FALSE;
    }

  if (self->relay != NULL)
    return _hail_msrp_session_relay_start (self, error);
  self->active = setup == HAIL_SDP_SETUP_ACTIVE;
  if (!prepare_tls (self, error))
    return FALSE;
  set_state (self, HAIL_MSRP_SESSION_STATE_CONNECTING);
  if (self->active)
    {
      HailMsrpUri *peer = self->remote_path->pdata[0];
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnectable) target =
        g_network_address_new (hail_msrp_uri_get_host (peer), hail_msrp_uri_get_port (peer));

      /* The active side never takes connections. */
      g_socket_listener_close (self->listener);
      g_clear_object (&self->listener);
      g_socket_client_set_timeout (client, (self->transaction_timeout + 999) / 1000);
      g_socket_client_connect_async (client, target, self->cancellable, connect_cb,
                                     g_object_ref (self));
    }
  else
    {
      accept_next (self);
    }
  return TRUE;
}

HailMsrpSessionState
hail_msrp_session_get_state (HailMsrpSession *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), HAIL_MSRP_SESSION_STATE_FAILED);

  return self->state;
}

const GError *
hail_msrp_session_get_error (HailMsrpSession *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), NULL);

  return self->error;
}

void
hail_msrp_session_set_chunk_size (HailMsrpSession *self,
                                  gsize            chunk_size)
{
  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));
  g_return_if_fail (chunk_size > 0 && chunk_size <= HAIL_MSRP_MAX_CHUNK_SIZE);

  if (self->chunk_size == chunk_size)
    return;
  self->chunk_size = chunk_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHUNK_SIZE]);
}

void
hail_msrp_session_set_max_message_size (HailMsrpSession *self,
                                        guint64          max_size)
{
  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));
  g_return_if_fail (max_size <= HAIL_MSRP_MAX_MESSAGE_SIZE_CEILING);

  if (self->max_message_size == max_size)
    return;
  self->max_message_size = max_size;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_MESSAGE_SIZE]);
}

void
hail_msrp_session_set_transaction_timeout (HailMsrpSession *self,
                                           guint            timeout_ms)
{
  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));
  g_return_if_fail (timeout_ms > 0 && timeout_ms <= G_MAXINT);

  if (self->transaction_timeout == timeout_ms)
    return;
  self->transaction_timeout = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSACTION_TIMEOUT]);
}

HailMsrpOutgoing *
hail_msrp_session_new_outgoing (HailMsrpSession *self,
                                const char      *content_type,
                                GBytes          *content)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), NULL);

  return hail_msrp_outgoing_new (content_type, content,
                                 _hail_msrp_session_relay_chunk_size (self));
}

HailMsrpOutgoing *
hail_msrp_session_new_outgoing_reader (HailMsrpSession          *self,
                                       const char               *content_type,
                                       guint64                   size,
                                       HailMsrpOutgoingReadFunc  read_func,
                                       gpointer                  user_data,
                                       GDestroyNotify            destroy)
{
  g_return_val_if_fail (HAIL_IS_MSRP_SESSION (self), NULL);

  return hail_msrp_outgoing_new_reader (content_type, size, read_func, user_data, destroy,
                                        _hail_msrp_session_relay_chunk_size (self));
}

void
hail_msrp_session_close (HailMsrpSession *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (HAIL_IS_MSRP_SESSION (self));

  if (is_over (self))
    return;
  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED, "The MSRP session was closed");
  _hail_msrp_session_relay_stop (self, error);
  shut_down (self);
  set_state (self, HAIL_MSRP_SESSION_STATE_CLOSED);
  _hail_msrp_session_end_transfers (self, error);
}
