/* test-transport-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-transport-util.h"

#include <string.h>

#include "hail-test-util.h"

gboolean
peer_wait_count (GPtrArray *array,
                 guint      count)
{
  return hail_test_wait_count (array, count, 10000);
}

static void
received_free (Received *r)
{
  g_bytes_unref (r->message);
  g_clear_object (&r->flow);
  g_object_unref (r->remote);
  g_clear_object (&r->local);
  g_free (r);
}

static void
closed_free (Closed *c)
{
  g_object_unref (c->flow);
  g_clear_error (&c->error);
  g_free (c);
}

static void
message_received_cb (HailSipTransport     *transport,
                     GBytes               *message,
                     HailSipFlow          *flow,
                     GInetSocketAddress   *remote,
                     GInetSocketAddress   *local,
                     HailSipTransportKind  kind,
                     Peer                 *peer)
{
  Received *r = g_new0 (Received, 1);

  r->message = g_bytes_ref (message);
  r->flow = flow != NULL ? g_object_ref (flow) : NULL;
  r->remote = g_object_ref (remote);
  r->local = local != NULL ? g_object_ref (local) : NULL;
  r->kind = kind;
  g_ptr_array_add (peer->received, r);
}

static void
flow_closed_cb (HailSipTransport *transport,
                HailSipFlow      *flow,
                const GError     *error,
                Peer             *peer)
{
  Closed *c = g_new0 (Closed, 1);

  c->flow = g_object_ref (flow);
  c->error = error != NULL ? g_error_copy (error) : NULL;
  g_ptr_array_add (peer->closed, c);
}

Peer *
peer_new (void)
{
  Peer *peer = g_new0 (Peer, 1);

  peer->transport = hail_sip_transport_new ();
  peer->received = g_ptr_array_new_with_free_func ((GDestroyNotify) received_free);
  peer->closed = g_ptr_array_new_with_free_func ((GDestroyNotify) closed_free);
  g_signal_connect (peer->transport, "message-received", G_CALLBACK (message_received_cb), peer);
  g_signal_connect (peer->transport, "flow-closed", G_CALLBACK (flow_closed_cb), peer);
  return peer;
}

void
peer_free (Peer *peer)
{
  hail_sip_transport_close (peer->transport);
  g_signal_handlers_disconnect_by_data (peer->transport, peer);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (peer->transport), ==, 0);
  g_ptr_array_unref (peer->received);
  g_ptr_array_unref (peer->closed);
  g_assert_finalize_object (peer->transport);
  g_free (peer);
}

GInetSocketAddress *
peer_listen (Peer                 *peer,
             HailSipTransportKind  kind,
             const char           *ip)
{
  g_autoptr(GInetAddress) address = g_inet_address_new_from_string (ip);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (address, 0);
  g_autoptr(GError) error = NULL;
  GInetSocketAddress *bound;

  bound = hail_sip_transport_listen (peer->transport, kind, G_INET_SOCKET_ADDRESS (any), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_inet_socket_address_get_port (bound), !=, 0);
  return bound;
}

typedef struct {
  gboolean      done;
  gboolean      ok;
  HailSipFlow  *flow;
  GError       *error;
} SendWait;

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SendWait *wait = user_data;

  wait->ok = hail_sip_transport_send_finish (HAIL_SIP_TRANSPORT (object), result,
                                             &wait->flow, &wait->error);
  wait->done = TRUE;
}

static gboolean
send_done (gpointer data)
{
  return ((SendWait *) data)->done;
}

gboolean
peer_send (Peer                  *peer,
           HailSipTransportKind   kind,
           GInetSocketAddress    *remote,
           const char            *server_name,
           const char            *text,
           HailSipFlow          **flow,
           GError               **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  SendWait wait = { 0 };

  hail_sip_transport_send_async (peer->transport, kind, remote, server_name, bytes, NULL,
                                 send_cb, &wait);
  g_assert_true (hail_test_wait_until (send_done, &wait, 10000));
  if (flow != NULL)
    *flow = wait.flow;
  else
    g_clear_object (&wait.flow);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

char *
make_request (const char *method,
              gsize       body_len)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "%s sip:bob@127.0.0.1 SIP/2.0\r\n"
                          "Via: SIP/2.0/TCP 127.0.0.1:5060;branch=z9hG4bK1\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n\r\n", method, body_len);
  for (gsize i = 0; i < body_len; i++)
    g_string_append_c (s, 'x');
  return g_string_free (s, FALSE);
}

gboolean
ipv6_loopback_available (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV6, G_SOCKET_TYPE_DATAGRAM,
                                            G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

  return socket != NULL && g_socket_bind (socket, address, FALSE, NULL);
}
