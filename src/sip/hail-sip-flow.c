/* hail-sip-flow.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A TCP or TLS connection on a raw non-blocking GSocket, driven by socket
 * sources on the main context: connect, TLS handshake through memory BIOs,
 * framing, a bounded write queue, RFC 5626 keep-alives and idle timeout.
 * This file holds the life cycle, the timers and the API; the socket side is
 * in hail-sip-flow-io.c.
 */
#include "config.h"

#include "hail-sip-flow.h"

#include "hail-sip-error.h"
#include "hail-sip-flow-private.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>

enum {
  PROP_0,
  PROP_KIND,
  PROP_STATE,
  PROP_INCOMING,
  PROP_REMOTE_ADDRESS,
  PROP_LOCAL_ADDRESS,
  PROP_SERVER_NAME,
  PROP_PEER_SUBJECT,
  PROP_PEER_ISSUER,
  PROP_KEEPALIVE_INTERVAL,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (HailSipFlow, hail_sip_flow, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (HailSipFlowState, hail_sip_flow_state,
  G_DEFINE_ENUM_VALUE (HAIL_SIP_FLOW_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_FLOW_STATE_HANDSHAKING, "handshaking"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_FLOW_STATE_READY, "ready"),
  G_DEFINE_ENUM_VALUE (HAIL_SIP_FLOW_STATE_CLOSED, "closed"))

void
_hail_sip_flow_send_free (Send *send)
{
  g_clear_object (&send->task);
  g_clear_pointer (&send->message, g_bytes_unref);
  g_free (send);
}

static char *
make_label (HailSipTransportKind  kind,
            GInetSocketAddress   *address)
{
  g_autofree char *ip = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  guint16 port = g_inet_socket_address_get_port (address);

  if (strchr (ip, ':') != NULL)
    return g_strdup_printf ("%s [%s]:%u", hail_sip_transport_kind_to_string (kind), ip, port);
  return g_strdup_printf ("%s %s:%u", hail_sip_transport_kind_to_string (kind), ip, port);
}

void
_hail_sip_flow_set_state (HailSipFlow      *self,
                          HailSipFlowState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* Ends the flow once: every pending send fails, "closed" fires. @error is
 * NULL for a deliberate close. */
static void
flow_close (HailSipFlow  *self,
            const GError *error)
{
  g_autoptr(HailSipFlow) hold G_GNUC_UNUSED = g_object_ref (self);
  g_autoptr(GError) closed = NULL;
  Send *send;

  if (self->state == HAIL_SIP_FLOW_STATE_CLOSED)
    return;

  if (error != NULL)
    g_debug ("%s: broken: %s", self->label, error->message);
  else
    g_debug ("%s: closed", self->label);

  g_clear_handle_id (&self->connect_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->pong_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  clear_source (&self->read_source);
  clear_source (&self->write_source);

  /* A polite close_notify, best effort and without waiting. */
  if (self->tls != NULL && error == NULL && self->state == HAIL_SIP_FLOW_STATE_READY)
    {
      g_autoptr(GBytes) alert = NULL;

      hail_sip_tls_session_shutdown (self->tls);
      alert = hail_sip_tls_session_take_output (self->tls);
      if (alert != NULL && self->out_pos == self->out->len)
        g_socket_send (self->socket, g_bytes_get_data (alert, NULL), g_bytes_get_size (alert),
                       NULL, NULL);
    }
  g_socket_close (self->socket, NULL);

  /* Closed before anyone hears of it, so a callback that sends again is
   * refused instead of queueing on a dead socket. */
  self->state = HAIL_SIP_FLOW_STATE_CLOSED;
  closed = error != NULL ? g_error_copy (error)
                         : g_error_new (G_IO_ERROR, G_IO_ERROR_CLOSED, "The flow %s was closed",
                                        self->label);
  while ((send = g_queue_pop_head (&self->inflight)) != NULL ||
         (send = g_queue_pop_head (&self->waiting)) != NULL)
    {
      g_task_return_error (send->task, g_error_copy (closed));
      _hail_sip_flow_send_free (send);
    }
  g_byte_array_set_size (self->out, 0);
  self->out_pos = 0;
  self->waiting_bytes = 0;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

void
_hail_sip_flow_fail (HailSipFlow *self,
                     GError      *error)
{
  flow_close (self, error);
  g_error_free (error);
}

void
_hail_sip_flow_touch (HailSipFlow *self)
{
  self->last_use = g_get_monotonic_time ();
}

void
_hail_sip_flow_emit_message (HailSipFlow *self,
                             GBytes      *message)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
}

static gboolean
pong_timeout_cb (gpointer user_data)
{
  HailSipFlow *self = user_data;

  self->pong_id = 0;
  _hail_sip_flow_fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT,
                                          "No keep-alive pong from %s within %u ms",
                                          self->label, self->timers.pong_timeout));
  return G_SOURCE_REMOVE;
}

static gboolean
keepalive_cb (gpointer user_data)
{
  HailSipFlow *self = user_data;
  g_autoptr(GError) error = NULL;

  /* RFC 5626 §4.4.1: ping only an idle flow; bytes from the peer within
   * the interval already prove it alive. */
  if (self->pong_id != 0 ||
      g_get_monotonic_time () - self->last_rx < (gint64) self->keepalive_interval * 1000)
    return G_SOURCE_CONTINUE;
  if (!_hail_sip_flow_encode (self, (const guint8 *) "\r\n\r\n", 4, &error))
    {
      self->keepalive_id = 0;
      _hail_sip_flow_fail (self, g_steal_pointer (&error));
      return G_SOURCE_REMOVE;
    }
  self->pong_id = g_timeout_add (MAX (self->timers.pong_timeout, 1), pong_timeout_cb, self);
  return G_SOURCE_CONTINUE;
}

static void
start_keepalive (HailSipFlow *self)
{
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->pong_id, g_source_remove);
  if (self->keepalive_interval > 0 && self->state == HAIL_SIP_FLOW_STATE_READY)
    self->keepalive_id = g_timeout_add (self->keepalive_interval, keepalive_cb, self);
}

static gboolean
idle_cb (gpointer user_data)
{
  HailSipFlow *self = user_data;
  gint64 idle_ms = (g_get_monotonic_time () - self->last_use) / 1000;

  self->idle_id = 0;
  /* Someone keeps this flow alive on purpose (a registration): leave it. */
  if (self->keepalive_interval > 0 || idle_ms < self->timers.idle_timeout)
    {
      guint left = self->keepalive_interval > 0 ? self->timers.idle_timeout
                                                : self->timers.idle_timeout - (guint) idle_ms;

      self->idle_id = g_timeout_add (MAX (left, 1), idle_cb, self);
      return G_SOURCE_REMOVE;
    }
  g_debug ("%s: idle for %" G_GINT64_FORMAT " ms", self->label, idle_ms);
  flow_close (self, NULL);
  return G_SOURCE_REMOVE;
}

void
_hail_sip_flow_become_ready (HailSipFlow *self)
{
  Send *send;

  g_clear_handle_id (&self->connect_id, g_source_remove);
  _hail_sip_flow_touch (self);
  _hail_sip_flow_set_state (self, HAIL_SIP_FLOW_STATE_READY);
  /* A "notify::state" handler may have closed it already. */
  if (self->state != HAIL_SIP_FLOW_STATE_READY)
    return;
  if (self->tls != NULL)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_SUBJECT]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEER_ISSUER]);
    }
  if (self->timers.idle_timeout > 0)
    self->idle_id = g_timeout_add (self->timers.idle_timeout, idle_cb, self);
  start_keepalive (self);

  while ((send = g_queue_pop_head (&self->waiting)) != NULL)
    {
      g_autoptr(GError) error = NULL;

      self->waiting_bytes -= g_bytes_get_size (send->message);
      /* Cancelled while we connected: it never reaches the wire. */
      if (g_task_return_error_if_cancelled (send->task))
        {
          _hail_sip_flow_send_free (send);
          if (self->state != HAIL_SIP_FLOW_STATE_READY)
            return;
          continue;
        }
      if (!_hail_sip_flow_encode (self, g_bytes_get_data (send->message, NULL),
                                  g_bytes_get_size (send->message), &error))
        {
          g_queue_push_head (&self->waiting, send);
          _hail_sip_flow_fail (self, g_steal_pointer (&error));
          return;
        }
      g_clear_pointer (&send->message, g_bytes_unref);
      send->end = self->queued;
      g_queue_push_tail (&self->inflight, send);
    }
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  HailSipFlow *self = user_data;

  self->connect_id = 0;
  _hail_sip_flow_fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT,
                                          "Connecting to %s timed out after %u ms",
                                          self->label, self->timers.connect_timeout));
  return G_SOURCE_REMOVE;
}

static void
hail_sip_flow_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HailSipFlow *self = HAIL_SIP_FLOW (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_INCOMING:
      g_value_set_boolean (value, self->incoming);
      break;
    case PROP_REMOTE_ADDRESS:
      g_value_set_object (value, self->remote);
      break;
    case PROP_LOCAL_ADDRESS:
      g_value_set_object (value, self->local);
      break;
    case PROP_SERVER_NAME:
      g_value_set_string (value, self->server_name);
      break;
    case PROP_PEER_SUBJECT:
      g_value_set_string (value, hail_sip_flow_get_peer_subject (self));
      break;
    case PROP_PEER_ISSUER:
      g_value_set_string (value, hail_sip_flow_get_peer_issuer (self));
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->keepalive_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_flow_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HailSipFlow *self = HAIL_SIP_FLOW (object);

  switch (prop_id)
    {
    case PROP_KEEPALIVE_INTERVAL:
      hail_sip_flow_set_keepalive_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_flow_dispose (GObject *object)
{
  HailSipFlow *self = (HailSipFlow *)object;

  /* Nobody holds the flow any more: end it without telling anyone. */
  g_clear_handle_id (&self->connect_id, g_source_remove);
  g_clear_handle_id (&self->keepalive_id, g_source_remove);
  g_clear_handle_id (&self->pong_id, g_source_remove);
  g_clear_handle_id (&self->idle_id, g_source_remove);
  clear_source (&self->read_source);
  clear_source (&self->write_source);
  if (self->socket != NULL)
    g_socket_close (self->socket, NULL);

  G_OBJECT_CLASS (hail_sip_flow_parent_class)->dispose (object);
}

static void
hail_sip_flow_finalize (GObject *object)
{
  HailSipFlow *self = (HailSipFlow *)object;

  /* A pending send holds a reference, so none is left here. */
  g_assert (g_queue_is_empty (&self->waiting) && g_queue_is_empty (&self->inflight));
  g_clear_object (&self->socket);
  g_clear_object (&self->remote);
  g_clear_object (&self->local);
  g_clear_object (&self->tls);
  g_clear_object (&self->framer);
  g_clear_pointer (&self->out, g_byte_array_unref);
  g_clear_pointer (&self->server_name, g_free);
  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (hail_sip_flow_parent_class)->finalize (object);
}

static void
hail_sip_flow_class_init (HailSipFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = hail_sip_flow_get_property;
  object_class->set_property = hail_sip_flow_set_property;
  object_class->dispose = hail_sip_flow_dispose;
  object_class->finalize = hail_sip_flow_finalize;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, HAIL_TYPE_SIP_TRANSPORT_KIND,
                       HAIL_SIP_TRANSPORT_KIND_TCP, ro);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, HAIL_TYPE_SIP_FLOW_STATE,
                       HAIL_SIP_FLOW_STATE_CONNECTING, ro);
  properties[PROP_INCOMING] =
    g_param_spec_boolean ("incoming", NULL, NULL, FALSE, ro);
  properties[PROP_REMOTE_ADDRESS] =
    g_param_spec_object ("remote-address", NULL, NULL, G_TYPE_INET_SOCKET_ADDRESS, ro);
  properties[PROP_LOCAL_ADDRESS] =
    g_param_spec_object ("local-address", NULL, NULL, G_TYPE_INET_SOCKET_ADDRESS, ro);
  properties[PROP_SERVER_NAME] =
    g_param_spec_string ("server-name", NULL, NULL, NULL, ro);
  properties[PROP_PEER_SUBJECT] =
    g_param_spec_string ("peer-subject", NULL, NULL, NULL, ro);
  properties[PROP_PEER_ISSUER] =
    g_param_spec_string ("peer-issuer", NULL, NULL, NULL, ro);
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HailSipFlow::message:
   * @message: one whole SIP message, as received
   */
  signals[SIGNAL_MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * HailSipFlow::closed:
   * @error: (nullable): why the flow broke, or NULL when closed on purpose
   */
  signals[SIGNAL_CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
hail_sip_flow_init (HailSipFlow *self)
{
  self->framer = hail_sip_framer_new ();
  self->out = g_byte_array_new ();
  g_queue_init (&self->waiting);
  g_queue_init (&self->inflight);
}

HailSipFlow *
_hail_sip_flow_new_outgoing (HailSipTransportKind      kind,
                             GInetSocketAddress       *remote,
                             const char               *server_name,
                             HailSipTlsContext        *tls,
                             const HailSipFlowTimers  *timers,
                             GError                  **error)
{
  g_autoptr(HailSipFlow) self = NULL;
  g_autoptr(GError) local_error = NULL;

  g_assert (kind == HAIL_SIP_TRANSPORT_KIND_TCP || kind == HAIL_SIP_TRANSPORT_KIND_TLS);
  g_assert ((kind == HAIL_SIP_TRANSPORT_KIND_TLS) == (tls != NULL));

  self = g_object_new (HAIL_TYPE_SIP_FLOW, NULL);
  self->kind = kind;
  self->timers = *timers;
  self->keepalive_interval = timers->keepalive;
  self->remote = g_object_ref (remote);
  self->label = make_label (kind, remote);

  if (tls != NULL)
    {
      self->server_name = server_name != NULL
        ? g_strdup (server_name)
        : g_inet_address_to_string (g_inet_socket_address_get_address (remote));
      self->tls = hail_sip_tls_session_new (tls, self->server_name, error);
      if (self->tls == NULL)
        return NULL;
    }

  self->socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (remote)),
                               G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &local_error);
  if (self->socket == NULL)
    {
      g_propagate_error (error, _hail_sip_flow_transport_error (local_error,
                                                                "Cannot open a socket for",
                                                                self->label));
      return NULL;
    }
  g_socket_set_blocking (self->socket, FALSE);
  g_socket_set_option (self->socket, IPPROTO_TCP, TCP_NODELAY, 1, NULL);

  self->state = HAIL_SIP_FLOW_STATE_CONNECTING;
  if (timers->connect_timeout > 0)
    self->connect_id = g_timeout_add (timers->connect_timeout, connect_timeout_cb, self);
  if (g_socket_connect (self->socket, G_SOCKET_ADDRESS (remote), NULL, &local_error))
    {
      _hail_sip_flow_connected (self);
    }
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_PENDING))
    {
      _hail_sip_flow_watch_write (self);
    }
  else
    {
      g_propagate_error (error, _hail_sip_flow_transport_error (local_error, "Cannot connect to",
                                                                self->label));
      g_clear_handle_id (&self->connect_id, g_source_remove);
      self->state = HAIL_SIP_FLOW_STATE_CLOSED;
      return NULL;
    }
  return g_steal_pointer (&self);
}

HailSipFlow *
_hail_sip_flow_new_incoming (GSocket                  *socket,
                             HailSipTlsContext        *tls,
                             const HailSipFlowTimers  *timers,
                             GError                  **error)
{
  g_autoptr(HailSipFlow) self = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GError) local_error = NULL;

  g_assert (G_IS_SOCKET (socket));

  remote = g_socket_get_remote_address (socket, &local_error);
  if (remote == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                   "An accepted connection has no peer: %s", local_error->message);
      return NULL;
    }
  local = g_socket_get_local_address (socket, NULL);
  if (!G_IS_INET_SOCKET_ADDRESS (remote) || !G_IS_INET_SOCKET_ADDRESS (local))
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                           "An accepted connection is not TCP/IP");
      return NULL;
    }

  self = g_object_new (HAIL_TYPE_SIP_FLOW, NULL);
  self->kind = tls != NULL ? HAIL_SIP_TRANSPORT_KIND_TLS : HAIL_SIP_TRANSPORT_KIND_TCP;
  self->incoming = TRUE;
  self->timers = *timers;
  self->socket = g_object_ref (socket);
  self->remote = G_INET_SOCKET_ADDRESS (g_steal_pointer (&remote));
  self->local = G_INET_SOCKET_ADDRESS (g_steal_pointer (&local));
  self->label = make_label (self->kind, self->remote);
  g_socket_set_blocking (self->socket, FALSE);

  if (tls != NULL)
    {
      self->tls = hail_sip_tls_session_new (tls, NULL, error);
      if (self->tls == NULL)
        return NULL;
      self->state = HAIL_SIP_FLOW_STATE_HANDSHAKING;
      if (timers->connect_timeout > 0)
        self->connect_id = g_timeout_add (timers->connect_timeout, connect_timeout_cb, self);
      _hail_sip_flow_start_reading (self);
    }
  else
    {
      self->state = HAIL_SIP_FLOW_STATE_CONNECTING;
      _hail_sip_flow_start_reading (self);
      _hail_sip_flow_become_ready (self);
    }
  return g_steal_pointer (&self);
}

HailSipTransportKind
hail_sip_flow_get_kind (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), HAIL_SIP_TRANSPORT_KIND_TCP);

  return self->kind;
}

HailSipFlowState
hail_sip_flow_get_state (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), HAIL_SIP_FLOW_STATE_CLOSED);

  return self->state;
}

gboolean
hail_sip_flow_get_incoming (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), FALSE);

  return self->incoming;
}

GInetSocketAddress *
hail_sip_flow_get_remote_address (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), NULL);

  return self->remote;
}

GInetSocketAddress *
hail_sip_flow_get_local_address (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), NULL);

  return self->local;
}

const char *
hail_sip_flow_get_server_name (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), NULL);

  return self->server_name;
}

const char *
hail_sip_flow_get_peer_subject (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), NULL);

  return self->tls != NULL ? hail_sip_tls_session_get_peer_subject (self->tls) : NULL;
}

const char *
hail_sip_flow_get_peer_issuer (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), NULL);

  return self->tls != NULL ? hail_sip_tls_session_get_peer_issuer (self->tls) : NULL;
}

void
hail_sip_flow_set_keepalive_interval (HailSipFlow *self,
                                      guint        interval_ms)
{
  g_return_if_fail (HAIL_IS_SIP_FLOW (self));

  if (self->keepalive_interval == interval_ms)
    return;
  self->keepalive_interval = interval_ms;
  start_keepalive (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KEEPALIVE_INTERVAL]);
}

guint
hail_sip_flow_get_keepalive_interval (HailSipFlow *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), 0);

  return self->keepalive_interval;
}

void
hail_sip_flow_send_async (HailSipFlow         *self,
                          GBytes              *message,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  Send *send;

  g_return_if_fail (HAIL_IS_SIP_FLOW (self));
  g_return_if_fail (message != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_flow_send_async);
  size = g_bytes_get_size (message);

  if (self->state == HAIL_SIP_FLOW_STATE_CLOSED)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                               "The flow %s is closed", self->label);
      return;
    }
  if (size == 0 || size > HAIL_SIP_MAX_MESSAGE_SIZE)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                               "A message of %" G_GSIZE_FORMAT " bytes cannot be sent", size);
      return;
    }
  /* A peer that stops reading must not make us buffer without end. */
  if ((self->out->len - self->out_pos) + self->waiting_bytes + size > HAIL_SIP_MAX_SEND_QUEUE)
    {
      g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                               "%s is not reading: %d bytes are already queued",
                               self->label, HAIL_SIP_MAX_SEND_QUEUE);
      return;
    }

  _hail_sip_flow_touch (self);
  send = g_new0 (Send, 1);
  send->task = g_steal_pointer (&task);
  if (self->state != HAIL_SIP_FLOW_STATE_READY)
    {
      send->message = g_bytes_ref (message);
      self->waiting_bytes += size;
      g_queue_push_tail (&self->waiting, send);
      return;
    }
  if (!_hail_sip_flow_encode (self, g_bytes_get_data (message, NULL), size, &error))
    {
      g_task_return_error (send->task, g_error_copy (error));
      _hail_sip_flow_send_free (send);
      _hail_sip_flow_fail (self, g_steal_pointer (&error));
      return;
    }
  send->end = self->queued;
  g_queue_push_tail (&self->inflight, send);
}

gboolean
hail_sip_flow_send_finish (HailSipFlow   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
hail_sip_flow_close (HailSipFlow *self)
{
  g_return_if_fail (HAIL_IS_SIP_FLOW (self));

  flow_close (self, NULL);
}
