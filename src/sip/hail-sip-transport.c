/* hail-sip-transport.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The transport layer: UDP sockets, TCP and TLS listeners, and the table of
 * flows keyed by (transport, address, port) so that requests to one peer
 * share one connection, whichever side opened it (RFC 5923).
 */
#include "config.h"

#include "hail-sip-transport.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-flow-private.h"
#include "hail-sip-tls-context.h"

/* Datagrams or connections taken per wake-up, so one busy socket cannot
 * starve the rest of the main loop. */
#define MAX_READS_PER_DISPATCH 32

enum {
  PROP_0,
  PROP_CA_FILE,
  PROP_CONNECT_TIMEOUT,
  PROP_PONG_TIMEOUT,
  PROP_IDLE_TIMEOUT,
  PROP_KEEPALIVE_INTERVAL,
  PROP_UDP_PATH_MTU,
  N_PROPS
};

enum {
  SIGNAL_MESSAGE_RECEIVED,
  SIGNAL_FLOW_CLOSED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* A bound UDP socket or a TCP/TLS listener. Reference counted, so that a
 * signal handler closing the transport cannot free it under its callback. */
typedef struct {
  HailSipTransport     *transport;   /* Borrowed; NULL once closed. */
  HailSipTransportKind  kind;
  GSocket              *socket;
  GInetSocketAddress   *address;
  GSource              *source;
} Endpoint;

struct _HailSipTransport
{
  GObject parent_instance;

  /* Owned references. */
  GPtrArray          *endpoints;      /* Endpoint*. */
  GHashTable         *flows;          /* HailSipFlow* set, one reference each. */
  GHashTable         *flows_by_key;   /* flow_key() -> HailSipFlow*, borrowed. */
  HailSipTlsContext  *client_tls;
  HailSipTlsContext  *server_tls;
  char               *ca_file;
  guint8             *datagram;       /* HAIL_SIP_MAX_MESSAGE_SIZE bytes. */

  /* Settings. */
  HailSipFlowTimers   timers;
  guint               udp_path_mtu;
};

G_DEFINE_FINAL_TYPE (HailSipTransport, hail_sip_transport, G_TYPE_OBJECT)

static void
endpoint_clear (Endpoint *endpoint)
{
  if (endpoint->source != NULL)
    {
      g_source_destroy (endpoint->source);
      g_clear_pointer (&endpoint->source, g_source_unref);
    }
  if (endpoint->socket != NULL)
    g_socket_close (endpoint->socket, NULL);
  g_clear_object (&endpoint->socket);
  g_clear_object (&endpoint->address);
}

static void
endpoint_release (Endpoint *endpoint)
{
  g_rc_box_release_full (endpoint, (GDestroyNotify) endpoint_clear);
}

static void
endpoint_close (Endpoint *endpoint)
{
  endpoint->transport = NULL;
  if (endpoint->source != NULL)
    {
      g_source_destroy (endpoint->source);
      g_clear_pointer (&endpoint->source, g_source_unref);
    }
  endpoint_release (endpoint);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Endpoint, endpoint_release)

static char *
flow_key (HailSipTransportKind  kind,
          GInetSocketAddress   *address)
{
  g_autofree char *ip = g_inet_address_to_string (g_inet_socket_address_get_address (address));

  return g_strdup_printf ("%d|%s|%u", kind, ip, g_inet_socket_address_get_port (address));
}

static const char *
family_name (GSocketFamily family)
{
  return family == G_SOCKET_FAMILY_IPV6 ? "IPv6" : "IPv4";
}

static void
flow_message_cb (HailSipFlow      *flow,
                 GBytes           *message,
                 HailSipTransport *self)
{
  g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, message, flow,
                 hail_sip_flow_get_remote_address (flow), hail_sip_flow_get_local_address (flow),
                 hail_sip_flow_get_kind (flow));
}

static gboolean
maps_to (gpointer key,
         gpointer value,
         gpointer flow)
{
  return value == flow;
}

static void
flow_closed_cb (HailSipFlow      *flow,
                const GError     *error,
                HailSipTransport *self)
{
  g_autoptr(HailSipFlow) hold G_GNUC_UNUSED = g_object_ref (flow);

  /* Its own address and any aliases. */
  g_hash_table_foreach_remove (self->flows_by_key, maps_to, flow);
  g_signal_handlers_disconnect_by_data (flow, self);
  if (g_hash_table_remove (self->flows, flow))
    g_signal_emit (self, signals[SIGNAL_FLOW_CLOSED], 0, flow, error);
}

/* Takes @flow into the tables; a flow already there for the same key keeps
 * its place (the newer one is still used by whoever holds it). */
static void
add_flow (HailSipTransport *self,
          HailSipFlow      *flow)
{
  char *key = flow_key (hail_sip_flow_get_kind (flow), hail_sip_flow_get_remote_address (flow));

  g_hash_table_add (self->flows, g_object_ref (flow));
  if (!g_hash_table_contains (self->flows_by_key, key))
    g_hash_table_insert (self->flows_by_key, key, flow);
  else
    g_free (key);
  g_signal_connect_object (flow, "message", G_CALLBACK (flow_message_cb), self, 0);
  g_signal_connect_object (flow, "closed", G_CALLBACK (flow_closed_cb), self, 0);
}

/* RFC 5923 §5: a TLS flow we opened was verified for one name, and a
 * request for another name at the same address must not ride on it
 * unchecked. A flow the peer opened carries anything back to it. */
static gboolean
flow_serves_name (HailSipFlow        *flow,
                  GInetSocketAddress *remote,
                  const char         *server_name)
{
  g_autofree char *ip = NULL;

  if (hail_sip_flow_get_kind (flow) != HAIL_SIP_TRANSPORT_KIND_TLS ||
      hail_sip_flow_get_incoming (flow))
    return TRUE;
  if (server_name == NULL)
    server_name = ip = g_inet_address_to_string (g_inet_socket_address_get_address (remote));
  return g_ascii_strcasecmp (hail_sip_flow_get_server_name (flow), server_name) == 0;
}

/* The flow a request to @remote should reuse, or NULL to connect. */
static HailSipFlow *
find_flow (HailSipTransport     *self,
           HailSipTransportKind  kind,
           GInetSocketAddress   *remote,
           const char           *server_name)
{
  g_autofree char *key = flow_key (kind, remote);
  HailSipFlow *flow = g_hash_table_lookup (self->flows_by_key, key);
  GHashTableIter iter;
  gpointer other;

  if (flow != NULL && flow_serves_name (flow, remote, server_name))
    return flow;

  /* Another flow to the same address: verified for this name (TLS), or
   * one that lost the table slot when the flow holding it closed. A phone
   * has a handful of flows, so the walk is cheap. */
  g_hash_table_iter_init (&iter, self->flows);
  while (g_hash_table_iter_next (&iter, &other, NULL))
    {
      g_autofree char *other_key = NULL;

      if (hail_sip_flow_get_state (other) == HAIL_SIP_FLOW_STATE_CLOSED ||
          hail_sip_flow_get_kind (other) != kind)
        continue;
      other_key = flow_key (kind, hail_sip_flow_get_remote_address (other));
      if (g_str_equal (other_key, key) && flow_serves_name (other, remote, server_name))
        return other;
    }
  return NULL;
}

/* A datagram of nothing but CRLFs is a keep-alive, not a message. */
static gboolean
is_keepalive (const guint8 *data,
              gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] != '\r' && data[i] != '\n')
      return FALSE;
  return TRUE;
}

static gboolean
udp_read_cb (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  g_autoptr(Endpoint) endpoint = g_rc_box_acquire ((Endpoint *) user_data);
  g_autoptr(HailSipTransport) self = g_object_ref (endpoint->transport);

  for (guint i = 0; i < MAX_READS_PER_DISPATCH && endpoint->transport != NULL; i++)
    {
      g_autoptr(GSocketAddress) from = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) message = NULL;
      gssize n;

      n = g_socket_receive_from (socket, &from, (char *) self->datagram,
                                 HAIL_SIP_MAX_MESSAGE_SIZE, NULL, &error);
      if (n < 0)
        {
          /* ICMP errors from earlier sends surface here too; UDP goes on. */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_debug ("UDP receive: %s", error->message);
          break;
        }
      if (!G_IS_INET_SOCKET_ADDRESS (from) || is_keepalive (self->datagram, n))
        continue;
      message = g_bytes_new (self->datagram, n);
      g_signal_emit (self, signals[SIGNAL_MESSAGE_RECEIVED], 0, message, NULL, from,
                     endpoint->address, HAIL_SIP_TRANSPORT_KIND_UDP);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
accept_cb (GSocket      *socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  g_autoptr(Endpoint) endpoint = g_rc_box_acquire ((Endpoint *) user_data);
  g_autoptr(HailSipTransport) self = g_object_ref (endpoint->transport);

  for (guint i = 0; i < MAX_READS_PER_DISPATCH && endpoint->transport != NULL; i++)
    {
      g_autoptr(GSocket) client = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(HailSipFlow) flow = NULL;
      HailSipTlsContext *tls = endpoint->kind == HAIL_SIP_TRANSPORT_KIND_TLS ? self->server_tls
                                                                             : NULL;

      client = g_socket_accept (socket, NULL, &error);
      if (client == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_debug ("accept: %s", error->message);
          break;
        }
      if (g_hash_table_size (self->flows) >= HAIL_SIP_MAX_FLOWS)
        {
          g_debug ("accept: %d flows open already, connection refused", HAIL_SIP_MAX_FLOWS);
          g_socket_close (client, NULL);
          continue;
        }
      flow = _hail_sip_flow_new_incoming (client, tls, &self->timers, &error);
      if (flow == NULL)
        {
          g_debug ("accept: %s", error->message);
          g_socket_close (client, NULL);
          continue;
        }
      add_flow (self, flow);
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
send_udp (HailSipTransport    *self,
          GInetSocketAddress  *remote,
          GBytes              *message,
          GError             **error)
{
  GSocketFamily family = g_socket_address_get_family (G_SOCKET_ADDRESS (remote));
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GSocketAddress) mapped = NULL;
  Endpoint *endpoint = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (message, &size);
  gboolean response = size >= 8 && memcmp (data, "SIP/2.0 ", 8) == 0;
  gssize n;

  for (guint i = 0; i < self->endpoints->len && endpoint == NULL; i++)
    {
      Endpoint *e = g_ptr_array_index (self->endpoints, i);

      if (e->kind == HAIL_SIP_TRANSPORT_KIND_UDP &&
          g_socket_address_get_family (G_SOCKET_ADDRESS (e->address)) == family)
        endpoint = e;
    }
  /* GLib's IPv6 sockets are dual-stack, and GLib reports their IPv4 peers
   * as IPv4: answer those from a "::" socket at the IPv4-mapped address. */
  for (guint i = 0; i < self->endpoints->len && endpoint == NULL &&
       family == G_SOCKET_FAMILY_IPV4; i++)
    {
      Endpoint *e = g_ptr_array_index (self->endpoints, i);

      if (e->kind == HAIL_SIP_TRANSPORT_KIND_UDP &&
          g_inet_address_get_is_any (g_inet_socket_address_get_address (e->address)) &&
          g_socket_address_get_family (G_SOCKET_ADDRESS (e->address)) == G_SOCKET_FAMILY_IPV6)
        {
          GInetAddress *v4 = g_inet_socket_address_get_address (remote);
          g_autofree char *ip = g_inet_address_to_string (v4);
          g_autofree char *text = g_strconcat ("::ffff:", ip, NULL);
          g_autoptr(GInetAddress) address = g_inet_address_new_from_string (text);

          endpoint = e;
          mapped = g_inet_socket_address_new (address, g_inet_socket_address_get_port (remote));
        }
    }
  if (endpoint == NULL)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                   "No UDP socket is bound for %s", family_name (family));
      return FALSE;
    }

  /* RFC 3261 §18.1.1 binds requests; a response goes back the way its
   * request came (§18.2.2), so only the datagram limit applies to it. */
  if (size == 0 || size > HAIL_SIP_UDP_MAX_DATAGRAM ||
      (!response && hail_sip_transport_needs_stream (size, self->udp_path_mtu)))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "A %s of %" G_GSIZE_FORMAT " bytes is too large for UDP",
                   response ? "response" : "request", size);
      return FALSE;
    }

  n = g_socket_send_to (endpoint->socket,
                        mapped != NULL ? mapped : G_SOCKET_ADDRESS (remote),
                        data, size, NULL, &local_error);
  if (n < 0)
    {
      /* A full send buffer drops the datagram, as the network could; the
       * transaction layer retransmits. */
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                   "Cannot send over UDP: %s", local_error->message);
      return FALSE;
    }
  return TRUE;
}

static void
flow_send_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  HailSipFlow *flow = HAIL_SIP_FLOW (object);
  GError *error = NULL;

  if (!hail_sip_flow_send_finish (flow, result, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, g_object_ref (flow), g_object_unref);
}

static void
hail_sip_transport_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  HailSipTransport *self = HAIL_SIP_TRANSPORT (object);

  switch (prop_id)
    {
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_CONNECT_TIMEOUT:
      g_value_set_uint (value, self->timers.connect_timeout);
      break;
    case PROP_PONG_TIMEOUT:
      g_value_set_uint (value, self->timers.pong_timeout);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->timers.idle_timeout);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      g_value_set_uint (value, self->timers.keepalive);
      break;
    case PROP_UDP_PATH_MTU:
      g_value_set_uint (value, self->udp_path_mtu);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_uint (HailSipTransport *self,
          guint            *field,
          guint             value,
          int               prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

static void
hail_sip_transport_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  HailSipTransport *self = HAIL_SIP_TRANSPORT (object);
  guint v = g_value_get_uint (value);

  /* Timers apply to flows made from now on. */
  switch (prop_id)
    {
    case PROP_CONNECT_TIMEOUT:
      set_uint (self, &self->timers.connect_timeout, v, prop_id);
      break;
    case PROP_PONG_TIMEOUT:
      set_uint (self, &self->timers.pong_timeout, v, prop_id);
      break;
    case PROP_IDLE_TIMEOUT:
      set_uint (self, &self->timers.idle_timeout, v, prop_id);
      break;
    case PROP_KEEPALIVE_INTERVAL:
      set_uint (self, &self->timers.keepalive, v, prop_id);
      break;
    case PROP_UDP_PATH_MTU:
      set_uint (self, &self->udp_path_mtu, v, prop_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
hail_sip_transport_dispose (GObject *object)
{
  HailSipTransport *self = (HailSipTransport *)object;

  hail_sip_transport_close (self);
  g_clear_object (&self->client_tls);
  g_clear_object (&self->server_tls);

  G_OBJECT_CLASS (hail_sip_transport_parent_class)->dispose (object);
}

static void
hail_sip_transport_finalize (GObject *object)
{
  HailSipTransport *self = (HailSipTransport *)object;

  g_clear_pointer (&self->endpoints, g_ptr_array_unref);
  g_clear_pointer (&self->flows_by_key, g_hash_table_unref);
  g_clear_pointer (&self->flows, g_hash_table_unref);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->datagram, g_free);

  G_OBJECT_CLASS (hail_sip_transport_parent_class)->finalize (object);
}

static void
hail_sip_transport_class_init (HailSipTransportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->get_property = hail_sip_transport_get_property;
  object_class->set_property = hail_sip_transport_set_property;
  object_class->dispose = hail_sip_transport_dispose;
  object_class->finalize = hail_sip_transport_finalize;

  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /* A TCP connect plus TLS handshake; 64*T1 like timer B. */
  properties[PROP_CONNECT_TIMEOUT] =
    g_param_spec_uint ("connect-timeout", NULL, NULL, 0, G_MAXUINT, 32000, rw);
  /* RFC 5626 §4.4.1: a pong must come within 10 s. */
  properties[PROP_PONG_TIMEOUT] =
    g_param_spec_uint ("pong-timeout", NULL, NULL, 1, G_MAXUINT, 10000, rw);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, G_MAXUINT, 600000, rw);
  properties[PROP_KEEPALIVE_INTERVAL] =
    g_param_spec_uint ("keepalive-interval", NULL, NULL, 0, G_MAXUINT, 0, rw);
  properties[PROP_UDP_PATH_MTU] =
    g_param_spec_uint ("udp-path-mtu", NULL, NULL, 0, G_MAXUINT, 0, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * HailSipTransport::message-received:
   * @message: the whole message as received
   * @flow: (nullable): the TCP or TLS flow it came on, NULL for UDP
   * @remote: the peer's address
   * @local: our address it reached
   * @kind: the transport
   */
  signals[SIGNAL_MESSAGE_RECEIVED] =
    g_signal_new ("message-received", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 5,
                  G_TYPE_BYTES | G_SIGNAL_TYPE_STATIC_SCOPE, HAIL_TYPE_SIP_FLOW,
                  G_TYPE_INET_SOCKET_ADDRESS, G_TYPE_INET_SOCKET_ADDRESS,
                  HAIL_TYPE_SIP_TRANSPORT_KIND);

  /**
   * HailSipTransport::flow-closed:
   * @flow: the flow, now closed
   * @error: (nullable): why it broke, NULL when closed on purpose (idle)
   */
  signals[SIGNAL_FLOW_CLOSED] =
    g_signal_new ("flow-closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2,
                  HAIL_TYPE_SIP_FLOW, G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
hail_sip_transport_init (HailSipTransport *self)
{
  self->endpoints = g_ptr_array_new ();
  self->flows = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->flows_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->datagram = g_malloc (HAIL_SIP_MAX_MESSAGE_SIZE);
  self->timers.connect_timeout = 32000;
  self->timers.pong_timeout = 10000;
  self->timers.idle_timeout = 600000;
}

HailSipTransport *
hail_sip_transport_new (void)
{
  return g_object_new (HAIL_TYPE_SIP_TRANSPORT, NULL);
}

gboolean
hail_sip_transport_needs_stream (gsize size,
                                 guint path_mtu)
{
  if (path_mtu == 0)
    return size > HAIL_SIP_UDP_MAX_REQUEST_SIZE;
  return path_mtu <= HAIL_SIP_UDP_MTU_MARGIN || size > path_mtu - HAIL_SIP_UDP_MTU_MARGIN;
}

gboolean
hail_sip_transport_set_ca_file (HailSipTransport  *self,
                                const char        *ca_file,
                                GError           **error)
{
  g_autoptr(HailSipTlsContext) context = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_TRANSPORT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Load it now, so a bad file is reported here and not at first send. */
  context = hail_sip_tls_context_new_client (ca_file, error);
  if (context == NULL)
    return FALSE;
  g_set_object (&self->client_tls, context);
  if (g_strcmp0 (self->ca_file, ca_file) != 0)
    {
      g_free (self->ca_file);
      self->ca_file = g_strdup (ca_file);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
    }
  return TRUE;
}

gboolean
hail_sip_transport_set_certificate (HailSipTransport  *self,
                                    const char        *cert_file,
                                    const char        *key_file,
                                    GError           **error)
{
  g_autoptr(HailSipTlsContext) context = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_TRANSPORT (self), FALSE);
  g_return_val_if_fail (cert_file != NULL && key_file != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  context = hail_sip_tls_context_new_server (cert_file, key_file, error);
  if (context == NULL)
    return FALSE;
  g_set_object (&self->server_tls, context);
  return TRUE;
}

GInetSocketAddress *
hail_sip_transport_listen (HailSipTransport      *self,
                           HailSipTransportKind   kind,
                           GInetSocketAddress    *address,
                           GError               **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean stream = hail_sip_transport_kind_is_stream (kind);
  Endpoint *endpoint;

  g_return_val_if_fail (HAIL_IS_SIP_TRANSPORT (self), NULL);
  g_return_val_if_fail (kind <= HAIL_SIP_TRANSPORT_KIND_TLS, NULL);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (kind == HAIL_SIP_TRANSPORT_KIND_TLS && self->server_tls == NULL)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS,
                           "A TLS listener needs a certificate and key first");
      return NULL;
    }

  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                         stream ? G_SOCKET_TYPE_STREAM : G_SOCKET_TYPE_DATAGRAM,
                         stream ? G_SOCKET_PROTOCOL_TCP : G_SOCKET_PROTOCOL_UDP, &local_error);
  if (socket != NULL)
    {
      g_socket_set_blocking (socket, FALSE);
      /* Address reuse lets a TCP listener restart over TIME_WAIT; UDP would
       * also share the port with another process, so it gets none. */
      if (g_socket_bind (socket, G_SOCKET_ADDRESS (address), stream, &local_error) &&
          (!stream || (g_socket_set_listen_backlog (socket, 64),
                       g_socket_listen (socket, &local_error))))
        bound = g_socket_get_local_address (socket, &local_error);
    }
  if (bound == NULL)
    {
      g_autofree char *where = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (address));

      /* GIO's code (ADDRESS_IN_USE, ...) passes through so callers can
       * tell a taken port from other failures. */
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Cannot listen for %s on %s: ",
                                  hail_sip_transport_kind_to_string (kind), where);
      return NULL;
    }

  endpoint = g_rc_box_new0 (Endpoint);
  endpoint->transport = self;
  endpoint->kind = kind;
  endpoint->socket = g_steal_pointer (&socket);
  endpoint->address = G_INET_SOCKET_ADDRESS (g_object_ref (bound));
  endpoint->source = g_socket_create_source (endpoint->socket, G_IO_IN, NULL);
  g_source_set_callback (endpoint->source,
                         stream ? (GSourceFunc) (GCallback) accept_cb
                                : (GSourceFunc) (GCallback) udp_read_cb,
                         endpoint, NULL);
  g_source_attach (endpoint->source, g_main_context_get_thread_default ());
  g_ptr_array_add (self->endpoints, endpoint);

  return G_INET_SOCKET_ADDRESS (g_steal_pointer (&bound));
}

void
hail_sip_transport_send_async (HailSipTransport     *self,
                               HailSipTransportKind  kind,
                               GInetSocketAddress   *remote,
                               const char           *server_name,
                               GBytes               *message,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) flow = NULL;

  g_return_if_fail (HAIL_IS_SIP_TRANSPORT (self));
  g_return_if_fail (kind <= HAIL_SIP_TRANSPORT_KIND_TLS);
  g_return_if_fail (G_IS_INET_SOCKET_ADDRESS (remote));
  g_return_if_fail (message != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, hail_sip_transport_send_async);

  if (kind == HAIL_SIP_TRANSPORT_KIND_UDP)
    {
      if (send_udp (self, remote, message, &error))
        g_task_return_pointer (task, NULL, NULL);
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  flow = find_flow (self, kind, remote, server_name);
  if (flow != NULL)
    {
      g_object_ref (flow);
    }
  else
    {
      if (g_hash_table_size (self->flows) >= HAIL_SIP_MAX_FLOWS)
        {
          g_task_return_new_error (task, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                   "Too many connections open (%d)", HAIL_SIP_MAX_FLOWS);
          return;
        }
      if (kind == HAIL_SIP_TRANSPORT_KIND_TLS && self->client_tls == NULL)
        {
          self->client_tls = hail_sip_tls_context_new_client (self->ca_file, &error);
          if (self->client_tls == NULL)
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
        }
      flow = _hail_sip_flow_new_outgoing (kind, remote, server_name,
                                          kind == HAIL_SIP_TRANSPORT_KIND_TLS ? self->client_tls
                                                                              : NULL,
                                          &self->timers, &error);
      if (flow == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      add_flow (self, flow);
    }
  hail_sip_flow_send_async (flow, message, cancellable, flow_send_cb, g_steal_pointer (&task));
}

gboolean
hail_sip_transport_send_finish (HailSipTransport  *self,
                                GAsyncResult      *result,
                                HailSipFlow      **flow,
                                GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(HailSipFlow) used = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_TRANSPORT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  used = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (flow != NULL)
    *flow = g_steal_pointer (&used);
  return TRUE;
}

HailSipFlow *
hail_sip_transport_lookup_flow (HailSipTransport     *self,
                                HailSipTransportKind  kind,
                                GInetSocketAddress   *remote)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (HAIL_IS_SIP_TRANSPORT (self), NULL);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (remote), NULL);

  key = flow_key (kind, remote);
  return g_hash_table_lookup (self->flows_by_key, key);
}

gboolean
hail_sip_transport_add_alias (HailSipTransport   *self,
                              HailSipFlow        *flow,
                              GInetSocketAddress *alias)
{
  g_autofree char *key = NULL;
  HailSipFlow *current;

  g_return_val_if_fail (HAIL_IS_SIP_TRANSPORT (self), FALSE);
  g_return_val_if_fail (HAIL_IS_SIP_FLOW (flow), FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (alias), FALSE);

  if (!g_hash_table_contains (self->flows, flow) ||
      hail_sip_flow_get_state (flow) == HAIL_SIP_FLOW_STATE_CLOSED)
    return FALSE;
  key = flow_key (hail_sip_flow_get_kind (flow), alias);
  current = g_hash_table_lookup (self->flows_by_key, key);
  if (current != NULL)
    return current == flow;
  g_hash_table_insert (self->flows_by_key, g_steal_pointer (&key), flow);
  return TRUE;
}

guint
hail_sip_transport_get_n_flows (HailSipTransport *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_TRANSPORT (self), 0);

  return g_hash_table_size (self->flows);
}

void
hail_sip_transport_close (HailSipTransport *self)
{
  g_autoptr(GPtrArray) flows = NULL;
  GHashTableIter iter;
  gpointer flow;

  g_return_if_fail (HAIL_IS_SIP_TRANSPORT (self));

  while (self->endpoints->len > 0)
    endpoint_close (g_ptr_array_steal_index (self->endpoints, self->endpoints->len - 1));

  /* Closing a flow takes it out of the table through its "closed" signal,
   * so walk a copy. */
  flows = g_ptr_array_new_with_free_func (g_object_unref);
  g_hash_table_iter_init (&iter, self->flows);
  while (g_hash_table_iter_next (&iter, &flow, NULL))
    g_ptr_array_add (flows, g_object_ref (flow));
  for (guint i = 0; i < flows->len; i++)
    hail_sip_flow_close (flows->pdata[i]);
  g_hash_table_remove_all (self->flows_by_key);
  g_hash_table_remove_all (self->flows);
}
