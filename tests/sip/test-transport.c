/* test-transport.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * UDP and TCP transports and flows over real loopback sockets.
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "hail-sip-error.h"
#include "hail-sip-transport.h"
#include "hail-test-util.h"
#include "test-transport-util.h"

#define OPTIONS "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n"
#define RESPONSE "SIP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok"

static void
assert_text (GBytes     *bytes,
             const char *text)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_cmpmem (data, len, text, strlen (text));
}

static void
assert_same_address (GInetSocketAddress *a,
                     GInetSocketAddress *b)
{
  g_autofree char *sa = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (a));
  g_autofree char *sb = g_socket_connectable_to_string (G_SOCKET_CONNECTABLE (b));

  g_assert_cmpstr (sa, ==, sb);
}

/* A raw, blocking loopback TCP client, for peers that misbehave. */
static GSocket *
raw_connect (GInetSocketAddress *to)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (to)),
                                            G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  /* The kernel completes a loopback connect from the backlog. */
  g_assert_true (g_socket_connect (socket, G_SOCKET_ADDRESS (to), NULL, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (socket, FALSE);
  return g_steal_pointer (&socket);
}

static void
raw_send (GSocket    *socket,
          const char *data,
          gsize       len)
{
  g_autoptr(GError) error = NULL;
  gssize n;

  g_socket_set_blocking (socket, TRUE);
  n = g_socket_send (socket, data, len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, (gssize) len);
  g_socket_set_blocking (socket, FALSE);
}

typedef struct {
  GSocket  *socket;
  GString  *data;
  gboolean  eof;
} RawRead;

static gboolean
raw_read_some (gpointer user_data)
{
  RawRead *r = user_data;
  char buf[4096];
  gssize n;

  while ((n = g_socket_receive (r->socket, buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (r->data, buf, n);
  if (n == 0)
    r->eof = TRUE;
  return r->eof || r->data->len > 0;
}

static gboolean
raw_read_eof (gpointer user_data)
{
  RawRead *r = user_data;

  raw_read_some (r);
  return r->eof;
}

/* UDP both ways: each datagram is one message, with both addresses. */
static void
test_transport_udp_both_ways (void)
{
  g_autoptr(Peer) a = peer_new ();
  g_autoptr(Peer) b = peer_new ();
  g_autoptr(GInetSocketAddress) a_addr = peer_listen (a, HAIL_SIP_TRANSPORT_KIND_UDP, "127.0.0.1");
  g_autoptr(GInetSocketAddress) b_addr = peer_listen (b, HAIL_SIP_TRANSPORT_KIND_UDP, "127.0.0.1");
  g_autoptr(GError) error = NULL;
  Received *r;

  g_assert_true (peer_send (a, HAIL_SIP_TRANSPORT_KIND_UDP, b_addr, NULL, OPTIONS, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (peer_wait_count (b->received, 1));
  r = b->received->pdata[0];
  assert_text (r->message, OPTIONS);
  g_assert_null (r->flow);
  g_assert_cmpint (r->kind, ==, HAIL_SIP_TRANSPORT_KIND_UDP);
  assert_same_address (r->remote, a_addr);
  assert_same_address (r->local, b_addr);

  g_assert_true (peer_send (b, HAIL_SIP_TRANSPORT_KIND_UDP, r->remote, NULL, RESPONSE, NULL,
                            &error));
  g_assert_true (peer_wait_count (a->received, 1));
  r = a->received->pdata[0];
  assert_text (r->message, RESPONSE);
  assert_same_address (r->remote, b_addr);
}

static void
test_transport_udp_ipv6 (void)
{
  g_autoptr(Peer) a = NULL;
  g_autoptr(Peer) b = NULL;
  g_autoptr(GInetSocketAddress) a_addr = NULL;
  g_autoptr(GInetSocketAddress) b_addr = NULL;
  g_autoptr(GError) error = NULL;

  if (!ipv6_loopback_available ())
    {
      g_test_skip ("no IPv6 loopback");
      return;
    }
  a = peer_new ();
  b = peer_new ();
  a_addr = peer_listen (a, HAIL_SIP_TRANSPORT_KIND_UDP, "::1");
  b_addr = peer_listen (b, HAIL_SIP_TRANSPORT_KIND_UDP, "::1");
  g_assert_true (peer_send (a, HAIL_SIP_TRANSPORT_KIND_UDP, b_addr, NULL, OPTIONS, NULL, &error));
  g_assert_true (peer_wait_count (b->received, 1));
  assert_same_address (((Received *) b->received->pdata[0])->remote, a_addr);
}

/* GLib's IPv6 sockets are dual-stack: IPv4 peers of a "::" socket are
 * reported, keyed and answered as IPv4, not as ::ffff:127.0.0.1, and UDP
 * answers them from that socket. */
static void
test_transport_dual_stack (void)
{
  g_autoptr(Peer) client = NULL;
  g_autoptr(Peer) server = NULL;
  g_autoptr(GInetSocketAddress) c_addr = NULL;
  g_autoptr(GInetSocketAddress) s_udp = NULL;
  g_autoptr(GInetSocketAddress) s_tcp = NULL;
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) to_udp = NULL;
  g_autoptr(GSocketAddress) to_tcp = NULL;
  g_autoptr(HailSipFlow) back = NULL;
  g_autoptr(GError) error = NULL;
  Received *r;

  if (!ipv6_loopback_available ())
    {
      g_test_skip ("no IPv6");
      return;
    }
  client = peer_new ();
  server = peer_new ();
  c_addr = peer_listen (client, HAIL_SIP_TRANSPORT_KIND_UDP, "127.0.0.1");
  s_udp = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_UDP, "::");
  s_tcp = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP, "::");
  to_udp = g_inet_socket_address_new (lo, g_inet_socket_address_get_port (s_udp));
  to_tcp = g_inet_socket_address_new (lo, g_inet_socket_address_get_port (s_tcp));

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_UDP, G_INET_SOCKET_ADDRESS (to_udp),
                            NULL, OPTIONS, NULL, &error));
  g_assert_true (peer_wait_count (server->received, 1));
  r = server->received->pdata[0];
  assert_same_address (r->remote, c_addr);
  /* The answer leaves the "::" socket for the IPv4 peer. */
  g_assert_true (peer_send (server, HAIL_SIP_TRANSPORT_KIND_UDP, r->remote, NULL, RESPONSE, NULL,
                            &error));
  g_assert_no_error (error);
  g_assert_true (peer_wait_count (client->received, 1));

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, G_INET_SOCKET_ADDRESS (to_tcp),
                            NULL, OPTIONS, NULL, &error));
  g_assert_true (peer_wait_count (server->received, 2));
  r = server->received->pdata[1];
  g_assert_cmpint (g_socket_address_get_family (G_SOCKET_ADDRESS (r->remote)), ==,
                   G_SOCKET_FAMILY_IPV4);
  g_assert_true (peer_send (server, HAIL_SIP_TRANSPORT_KIND_TCP, r->remote, NULL, RESPONSE,
                            &back, &error));
  g_assert_true (back == r->flow);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (server->transport), ==, 1);
  g_assert_true (peer_wait_count (client->received, 2));
}

static void
test_transport_udp_no_socket_for_family (void)
{
  g_autoptr(Peer) a = peer_new ();
  /* Bound only to send from. */
  g_autoptr(GInetSocketAddress) a_addr G_GNUC_UNUSED =
    peer_listen (a, HAIL_SIP_TRANSPORT_KIND_UDP, "127.0.0.1");
  g_autoptr(GInetAddress) v6 = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV6);
  g_autoptr(GSocketAddress) to = g_inet_socket_address_new (v6, 5060);
  g_autoptr(GError) error = NULL;

  g_assert_false (peer_send (a, HAIL_SIP_TRANSPORT_KIND_UDP, G_INET_SOCKET_ADDRESS (to), NULL,
                             OPTIONS, NULL, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (error->message, "IPv6"));
}

static void
test_transport_needs_stream (void)
{
  /* RFC 3261 §18.1.1: 1300 bytes without a known MTU, else 200 below it. */
  g_assert_false (hail_sip_transport_needs_stream (1300, 0));
  g_assert_true (hail_sip_transport_needs_stream (1301, 0));
  g_assert_false (hail_sip_transport_needs_stream (1300, 1500));
  g_assert_true (hail_sip_transport_needs_stream (1301, 1500));
  g_assert_false (hail_sip_transport_needs_stream (8000, 9000));
  g_assert_true (hail_sip_transport_needs_stream (10, 150));
}

static void
test_transport_udp_refuses_large_request (void)
{
  g_autoptr(Peer) a = peer_new ();
  g_autoptr(Peer) b = peer_new ();
  /* Bound only to send from. */
  g_autoptr(GInetSocketAddress) a_addr G_GNUC_UNUSED =
    peer_listen (a, HAIL_SIP_TRANSPORT_KIND_UDP, "127.0.0.1");
  g_autoptr(GInetSocketAddress) b_addr = peer_listen (b, HAIL_SIP_TRANSPORT_KIND_UDP, "127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autofree char *small = make_request ("MESSAGE", 1000);
  g_autofree char *large = make_request ("MESSAGE", 1300);
  g_autoptr(GString) response = g_string_new ("SIP/2.0 200 OK\r\nContent-Length: 3000\r\n\r\n");

  g_assert_cmpuint (strlen (small), <=, 1300);
  g_assert_true (peer_send (a, HAIL_SIP_TRANSPORT_KIND_UDP, b_addr, NULL, small, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (peer_send (a, HAIL_SIP_TRANSPORT_KIND_UDP, b_addr, NULL, large, NULL, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_clear_error (&error);

  /* A response goes back over UDP whatever its size (§18.2.2). */
  for (guint i = 0; i < 3000; i++)
    g_string_append_c (response, 'y');
  g_assert_true (peer_send (a, HAIL_SIP_TRANSPORT_KIND_UDP, b_addr, NULL, response->str, NULL,
                            &error));
  g_assert_no_error (error);
  g_assert_true (peer_wait_count (b->received, 2));
  g_assert_cmpuint (g_bytes_get_size (((Received *) b->received->pdata[1])->message), ==,
                    response->len);

  /* But never beyond what one datagram holds. */
  while (response->len <= HAIL_SIP_UDP_MAX_DATAGRAM)
    g_string_append_c (response, 'z');
  g_assert_false (peer_send (a, HAIL_SIP_TRANSPORT_KIND_UDP, b_addr, NULL, response->str, NULL,
                             &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_transport_udp_garbage (void)
{
  g_autoptr(Peer) b = peer_new ();
  g_autoptr(GInetSocketAddress) b_addr = peer_listen (b, HAIL_SIP_TRANSPORT_KIND_UDP, "127.0.0.1");
  g_autoptr(GSocket) raw = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                         G_SOCKET_PROTOCOL_UDP, NULL);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  guint8 buf[2048];
  guint sent = 0;

  /* Random datagrams are handed up as they are (the parser judges them);
   * CRLF keep-alives and empty datagrams are not messages. */
  g_socket_send_to (raw, G_SOCKET_ADDRESS (b_addr), "", 0, NULL, NULL);
  g_socket_send_to (raw, G_SOCKET_ADDRESS (b_addr), "\r\n\r\n", 4, NULL, NULL);
  for (guint i = 0; i < 50; i++)
    {
      gsize len = g_rand_int_range (rand, 1, sizeof buf);

      for (gsize j = 0; j < len; j++)
        buf[j] = g_rand_int_range (rand, 0, 256);
      buf[0] = 'X';
      if (g_socket_send_to (raw, G_SOCKET_ADDRESS (b_addr), (char *) buf, len, NULL, NULL) > 0)
        sent++;
    }
  g_assert_true (peer_wait_count (b->received, sent));
  for (guint i = 0; i < b->received->len; i++)
    g_assert_cmpuint (((guint8 *) g_bytes_get_data (
                        ((Received *) b->received->pdata[i])->message, NULL))[0], ==, 'X');
}

/* TCP: the request goes over a new connection, the response comes back
 * over the same one, addressed by the peer's address alone. */
static void
test_transport_tcp_request_response (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) out_flow = NULL;
  g_autoptr(HailSipFlow) back_flow = NULL;
  Received *r;

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS,
                            &out_flow, &error));
  g_assert_no_error (error);
  g_assert_nonnull (out_flow);
  g_assert_false (hail_sip_flow_get_incoming (out_flow));
  g_assert_cmpint (hail_sip_flow_get_state (out_flow), ==, HAIL_SIP_FLOW_STATE_READY);

  g_assert_true (peer_wait_count (server->received, 1));
  r = server->received->pdata[0];
  assert_text (r->message, OPTIONS);
  g_assert_cmpint (r->kind, ==, HAIL_SIP_TRANSPORT_KIND_TCP);
  g_assert_nonnull (r->flow);
  g_assert_true (hail_sip_flow_get_incoming (r->flow));
  assert_same_address (r->remote, hail_sip_flow_get_local_address (out_flow));
  assert_same_address (r->local, s_addr);

  g_assert_true (peer_send (server, HAIL_SIP_TRANSPORT_KIND_TCP, r->remote, NULL, RESPONSE,
                            &back_flow, &error));
  g_assert_no_error (error);
  g_assert_true (back_flow == r->flow);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (server->transport), ==, 1);

  g_assert_true (peer_wait_count (client->received, 1));
  r = client->received->pdata[0];
  assert_text (r->message, RESPONSE);
  g_assert_true (r->flow == out_flow);
}

static void
test_transport_tcp_reuse (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) first = NULL;
  g_autoptr(HailSipFlow) second = NULL;

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, &first,
                            &error));
  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, &second,
                            &error));
  g_assert_no_error (error);
  g_assert_true (first == second);
  g_assert_true (hail_sip_transport_lookup_flow (client->transport, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                 s_addr) == first);
  g_assert_true (peer_wait_count (server->received, 2));
  g_assert_cmpuint (hail_sip_transport_get_n_flows (client->transport), ==, 1);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (server->transport), ==, 1);
  g_assert_true (((Received *) server->received->pdata[0])->flow ==
                 ((Received *) server->received->pdata[1])->flow);
}

static void
test_transport_tcp_alias (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  /* Where the client says it listens (its Via sent-by); nobody does. */
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) advertised = g_inet_socket_address_new (lo, 9);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) out_flow = NULL;
  g_autoptr(HailSipFlow) used = NULL;
  HailSipFlow *in_flow;

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS,
                            &out_flow, &error));
  g_assert_true (peer_wait_count (server->received, 1));
  in_flow = ((Received *) server->received->pdata[0])->flow;

  /* RFC 5923: a request to the advertised address rides on the flow. */
  g_assert_true (hail_sip_transport_add_alias (server->transport, in_flow,
                                               G_INET_SOCKET_ADDRESS (advertised)));
  g_assert_true (peer_send (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                            G_INET_SOCKET_ADDRESS (advertised), NULL, OPTIONS, &used, &error));
  g_assert_no_error (error);
  g_assert_true (used == in_flow);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (server->transport), ==, 1);
  g_assert_true (peer_wait_count (client->received, 1));
  g_assert_true (((Received *) client->received->pdata[0])->flow == out_flow);

  /* Once the flow is gone, so is the alias. */
  hail_sip_flow_close (in_flow);
  g_assert_null (hail_sip_transport_lookup_flow (server->transport, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                 G_INET_SOCKET_ADDRESS (advertised)));
  g_assert_false (hail_sip_transport_add_alias (server->transport, in_flow,
                                                G_INET_SOCKET_ADDRESS (advertised)));
}

static void
test_transport_tcp_ipv6 (void)
{
  g_autoptr(Peer) client = NULL;
  g_autoptr(Peer) server = NULL;
  g_autoptr(GInetSocketAddress) s_addr = NULL;
  g_autoptr(GError) error = NULL;

  if (!ipv6_loopback_available ())
    {
      g_test_skip ("no IPv6 loopback");
      return;
    }
  client = peer_new ();
  server = peer_new ();
  s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP, "::1");
  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, NULL,
                            &error));
  g_assert_no_error (error);
  g_assert_true (peer_wait_count (server->received, 1));
  g_assert_cmpint (g_socket_address_get_family (
                     G_SOCKET_ADDRESS (((Received *) server->received->pdata[0])->remote)), ==,
                   G_SOCKET_FAMILY_IPV6);
}

static void
test_transport_tcp_large_message (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autofree char *large = make_request ("MESSAGE", 60000);

  /* Bigger than a read chunk: framed from several reads. */
  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, large, NULL,
                            &error));
  g_assert_no_error (error);
  g_assert_true (peer_wait_count (server->received, 1));
  assert_text (((Received *) server->received->pdata[0])->message, large);
}

static void
test_transport_tcp_connect_refused (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(GInetSocketAddress) port = NULL;
  g_autoptr(GError) error = NULL;

  /* A port that was just free: bind, read it back, close. */
  {
    g_autoptr(Peer) gone = peer_new ();

    port = peer_listen (gone, HAIL_SIP_TRANSPORT_KIND_TCP, "127.0.0.1");
  }
  g_assert_false (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, port, NULL, OPTIONS, NULL,
                             &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
  g_assert_true (peer_wait_count (client->closed, 1));
  g_assert_cmpuint (hail_sip_transport_get_n_flows (client->transport), ==, 0);
}

static void
test_transport_tcp_closed_by_peer (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) flow = NULL;
  Closed *c;

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, &flow,
                            &error));
  g_assert_true (peer_wait_count (server->received, 1));
  hail_sip_flow_close (((Received *) server->received->pdata[0])->flow);

  /* The server closed on purpose: no error there; the client sees a break. */
  g_assert_cmpuint (server->closed->len, ==, 1);
  g_assert_null (((Closed *) server->closed->pdata[0])->error);
  g_assert_true (peer_wait_count (client->closed, 1));
  c = client->closed->pdata[0];
  g_assert_true (c->flow == flow);
  g_assert_error (c->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (c->error->message, "closed by"));
  g_assert_cmpint (hail_sip_flow_get_state (flow), ==, HAIL_SIP_FLOW_STATE_CLOSED);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (client->transport), ==, 0);

  /* The next send opens a fresh connection. */
  g_clear_object (&flow);
  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, &flow,
                            &error));
  g_assert_no_error (error);
  g_assert_cmpint (hail_sip_flow_get_state (flow), ==, HAIL_SIP_FLOW_STATE_READY);
  g_assert_true (peer_wait_count (server->received, 2));
}

static void
test_transport_tcp_garbage_closes (void)
{
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GSocket) raw = raw_connect (s_addr);
  g_autoptr(GString) got = g_string_new (NULL);
  const char *garbage = "INFO sip:x SIP/2.0\r\nContent-Length: -7\r\n\r\n";
  RawRead r = { raw, got, FALSE };
  Closed *c;

  raw_send (raw, garbage, strlen (garbage));
  g_assert_true (peer_wait_count (server->closed, 1));
  c = server->closed->pdata[0];
  g_assert_error (c->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_assert_true (hail_test_wait_until (raw_read_eof, &r, 10000));
  g_assert_cmpuint (server->received->len, ==, 0);
}

static void
test_transport_tcp_endless_header_closes (void)
{
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GSocket) raw = raw_connect (s_addr);
  g_autofree char *chunk = g_strnfill (8192, 'A');

  /* More than the header bound without a blank line: cut off, bounded. */
  for (guint i = 0; i < 8 && server->closed->len == 0; i++)
    {
      g_socket_send (raw, chunk, 8192, NULL, NULL);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (peer_wait_count (server->closed, 1));
  g_assert_error (((Closed *) server->closed->pdata[0])->error, HAIL_SIP_ERROR,
                  HAIL_SIP_ERROR_TOO_LARGE);
}

static void
test_transport_tcp_random_bytes (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  /* Random streams end up closed or waiting, never crash or grow. */
  for (guint round = 0; round < 20; round++)
    {
      g_autoptr(Peer) server = peer_new ();
      g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                          "127.0.0.1");
      g_autoptr(GSocket) raw = raw_connect (s_addr);
      guint8 buf[4096];
      gsize len = g_rand_int_range (rand, 1, sizeof buf);

      for (gsize j = 0; j < len; j++)
        buf[j] = g_rand_int_range (rand, 0, 256);
      buf[0] = 'Z';
      raw_send (raw, (char *) buf, len);
      g_socket_close (raw, NULL);
      /* The peer's close ends the flow either way. */
      g_assert_true (peer_wait_count (server->closed, 1));
      g_assert_nonnull (((Closed *) server->closed->pdata[0])->error);
    }
}

static void
test_transport_server_answers_ping (void)
{
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GSocket) raw = raw_connect (s_addr);
  g_autoptr(GString) got = g_string_new (NULL);
  RawRead r = { raw, got, FALSE };

  /* RFC 5626 §4.4.1: CRLFCRLF in, CRLF out. */
  raw_send (raw, "\r\n\r\n", 4);
  g_assert_true (hail_test_wait_until (raw_read_some, &r, 10000));
  g_assert_cmpstr (got->str, ==, "\r\n");
  g_assert_cmpuint (server->received->len, ==, 0);
  g_assert_cmpuint (server->closed->len, ==, 0);
}

typedef struct {
  GSocket *socket;
  Peer    *server;
  gchar   *pings;
} PingFlood;

static gboolean
ping_flood_step (gpointer user_data)
{
  PingFlood *flood = user_data;

  /* Never blocks: the loop must run for the server to read. */
  g_socket_send (flood->socket, flood->pings, 65536, NULL, NULL);
  return flood->server->closed->len > 0;
}

static void
test_transport_ping_flood_bounded (void)
{
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GSocket) raw = NULL;
  g_autofree char *pings = g_malloc (65536);
  PingFlood flood = { NULL, server, pings };

  /* A peer that pings without reading the pongs fills our queue; past the
   * bound the flow is closed instead of growing. */
  for (gsize i = 0; i < 65536; i += 2)
    memcpy (pings + i, "\r\n", 2);
  raw = raw_connect (s_addr);
  g_socket_set_option (raw, SOL_SOCKET, SO_RCVBUF, 4096, NULL);
  flood.socket = raw;
  g_assert_true (hail_test_wait_until (ping_flood_step, &flood, 20000));
  g_assert_error (((Closed *) server->closed->pdata[0])->error, HAIL_SIP_ERROR,
                  HAIL_SIP_ERROR_TRANSPORT);
  g_assert_nonnull (strstr (((Closed *) server->closed->pdata[0])->error->message, "not reading"));
}

/* A raw TCP server, for peers that answer pings or not. */
typedef struct {
  GSocket *listener;
  GSocket *accepted;
} RawServer;

static GInetSocketAddress *
raw_server_start (RawServer *server)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GError) error = NULL;

  server->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (server->listener, any, TRUE, &error));
  g_assert_true (g_socket_listen (server->listener, &error));
  g_socket_set_blocking (server->listener, FALSE);
  return G_INET_SOCKET_ADDRESS (g_socket_get_local_address (server->listener, &error));
}

static gboolean
raw_server_accept (gpointer user_data)
{
  RawServer *server = user_data;

  if (server->accepted == NULL)
    server->accepted = g_socket_accept (server->listener, NULL, NULL);
  if (server->accepted != NULL)
    g_socket_set_blocking (server->accepted, FALSE);
  return server->accepted != NULL;
}

static void
raw_server_clear (RawServer *server)
{
  g_clear_object (&server->accepted);
  g_clear_object (&server->listener);
}

static void
test_transport_keepalive_pong (void)
{
  g_autoptr(Peer) client = peer_new ();
  RawServer server = { 0 };
  g_autoptr(GInetSocketAddress) s_addr = raw_server_start (&server);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) flow = NULL;

  /* Idle for longer than the idle timeout, but kept alive on purpose. */
  g_object_set (client->transport, "keepalive-interval", 20, "pong-timeout", 5000,
                "idle-timeout", 30, NULL);
  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, &flow,
                            &error));
  g_assert_cmpuint (hail_sip_flow_get_keepalive_interval (flow), ==, 20);
  g_assert_true (hail_test_wait_until (raw_server_accept, &server, 10000));

  /* Answer five pings (at least 100 ms); the flow stays up. */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(GString) got = g_string_new (NULL);
      RawRead r = { server.accepted, got, FALSE };

      while (!g_str_has_suffix (got->str, "\r\n\r\n"))
        {
          g_string_truncate (got, 0);
          g_assert_true (hail_test_wait_until (raw_read_some, &r, 10000));
        }
      raw_send (server.accepted, "\r\n", 2);
    }
  g_assert_cmpuint (client->closed->len, ==, 0);
  g_assert_cmpint (hail_sip_flow_get_state (flow), ==, HAIL_SIP_FLOW_STATE_READY);
  raw_server_clear (&server);
}

static void
test_transport_keepalive_no_pong (void)
{
  g_autoptr(Peer) client = peer_new ();
  RawServer server = { 0 };
  g_autoptr(GInetSocketAddress) s_addr = raw_server_start (&server);
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) flow = NULL;
  Closed *c;

  /* Timers are read when a flow is made. */
  g_object_set (client->transport, "pong-timeout", 50, NULL);
  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, &flow,
                            &error));
  /* Per flow: what a registration does on the flow it registered over. */
  g_assert_cmpuint (hail_sip_flow_get_keepalive_interval (flow), ==, 0);
  hail_sip_flow_set_keepalive_interval (flow, 20);
  g_assert_true (hail_test_wait_until (raw_server_accept, &server, 10000));
  g_assert_true (peer_wait_count (client->closed, 1));
  c = client->closed->pdata[0];
  g_assert_true (c->flow == flow);
  g_assert_error (c->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT);
  raw_server_clear (&server);
}

static void
test_transport_idle_timeout (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GError) error = NULL;

  g_object_set (server->transport, "idle-timeout", 50, NULL);
  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, NULL,
                            &error));
  g_assert_true (peer_wait_count (server->closed, 1));
  /* Idle is a deliberate close. */
  g_assert_null (((Closed *) server->closed->pdata[0])->error);
  g_assert_true (peer_wait_count (client->closed, 1));
  g_assert_cmpuint (hail_sip_transport_get_n_flows (server->transport), ==, 0);
}

static void
test_transport_close_ends_flows (void)
{
  g_autoptr(Peer) client = peer_new ();
  RawServer server = { 0 };
  g_autoptr(GInetSocketAddress) s_addr = raw_server_start (&server);
  g_autoptr(HailSipFlow) flow = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, &flow,
                            &error));
  hail_sip_transport_close (client->transport);
  g_assert_cmpuint (client->closed->len, ==, 1);
  g_assert_null (((Closed *) client->closed->pdata[0])->error);
  g_assert_false (peer_send (client, HAIL_SIP_TRANSPORT_KIND_UDP, s_addr, NULL, OPTIONS, NULL,
                             &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
  raw_server_clear (&server);
}

typedef struct {
  guint   done;
  guint   refused;
} Outcome;

static void
outcome_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Outcome *outcome = user_data;
  g_autoptr(GError) error = NULL;

  if (!hail_sip_transport_send_finish (HAIL_SIP_TRANSPORT (object), result, NULL, &error))
    {
      g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
      g_assert_nonnull (strstr (error->message, "is not reading"));
      outcome->refused++;
    }
  outcome->done++;
}

static gboolean
outcome_all_done (gpointer user_data)
{
  return ((Outcome *) user_data)->done == 20;
}

static void
test_transport_send_queue_bounded (void)
{
  g_autoptr(Peer) client = peer_new ();
  RawServer server = { 0 };
  g_autoptr(GInetSocketAddress) s_addr = raw_server_start (&server);
  g_autofree char *text = make_request ("MESSAGE", 64000);
  g_autoptr(GBytes) big = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  Outcome outcome = { 0 };

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, OPTIONS, NULL,
                            &error));
  /* 20 x 64 KB without letting the loop write: past 1 MiB queued, sends
   * are refused instead of buffered. */
  for (guint i = 0; i < 20; i++)
    hail_sip_transport_send_async (client->transport, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL,
                                   big, NULL, outcome_cb, &outcome);
  g_assert_true (hail_test_wait_until (outcome_all_done, &outcome, 10000));
  g_assert_cmpuint (outcome.refused, >=, 20 - HAIL_SIP_MAX_SEND_QUEUE / 64000);
  raw_server_clear (&server);
}

typedef struct {
  HailSipTransport *transport;
  GSocket          *socket;
  guint             flows;
} FlowCount;

static gboolean
flow_accepted (gpointer user_data)
{
  FlowCount *count = user_data;

  return hail_sip_transport_get_n_flows (count->transport) == count->flows;
}

static gboolean
socket_at_eof (gpointer user_data)
{
  FlowCount *count = user_data;
  char c;

  return g_socket_receive (count->socket, &c, 1, NULL, NULL) == 0;
}

static void
test_transport_flow_limit (void)
{
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GPtrArray) sockets = g_ptr_array_new_with_free_func (g_object_unref);
  FlowCount count = { server->transport, NULL, 0 };

  /* Up to the cap each connection becomes a flow; past it, connections
   * are accepted and closed at once. One at a time, so that the listen
   * backlog never overflows into SYN retries. */
  for (guint i = 0; i < HAIL_SIP_MAX_FLOWS + 4; i++)
    {
      g_autoptr(GError) error = NULL;

      count.socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL);
      g_ptr_array_add (sockets, count.socket);
      g_socket_set_blocking (count.socket, FALSE);
      if (!g_socket_connect (count.socket, G_SOCKET_ADDRESS (s_addr), NULL, &error))
        g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PENDING);
      if (i < HAIL_SIP_MAX_FLOWS)
        {
          count.flows = i + 1;
          g_assert_true (hail_test_wait_until (flow_accepted, &count, 10000));
        }
      else
        {
          g_assert_true (hail_test_wait_until (socket_at_eof, &count, 10000));
          g_assert_cmpuint (hail_sip_transport_get_n_flows (server->transport), ==,
                            HAIL_SIP_MAX_FLOWS);
        }
    }
}

typedef struct {
  gboolean  done;
  GError   *error;
} CancelWait;

static void
cancel_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CancelWait *wait = user_data;

  hail_sip_transport_send_finish (HAIL_SIP_TRANSPORT (object), result, NULL, &wait->error);
  wait->done = TRUE;
}

static gboolean
cancel_done (gpointer user_data)
{
  return ((CancelWait *) user_data)->done;
}

static void
test_transport_cancel_before_connected (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) s_addr = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TCP,
                                                      "127.0.0.1");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) first = g_bytes_new_static (OPTIONS, strlen (OPTIONS));
  g_autoptr(GError) error = NULL;
  CancelWait wait = { 0 };

  /* Queued while connecting, cancelled before the connection is up: the
   * send fails as cancelled and the peer only sees the next message. */
  hail_sip_transport_send_async (client->transport, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL,
                                 first, cancellable, cancel_sent_cb, &wait);
  g_cancellable_cancel (cancellable);
  g_assert_true (hail_test_wait_until (cancel_done, &wait, 10000));
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&wait.error);

  g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TCP, s_addr, NULL, RESPONSE, NULL,
                            &error));
  g_assert_no_error (error);
  g_assert_true (peer_wait_count (server->received, 1));
  assert_text (((Received *) server->received->pdata[0])->message, RESPONSE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sip/transport/udp-both-ways", test_transport_udp_both_ways);
  g_test_add_func ("/sip/transport/udp-ipv6", test_transport_udp_ipv6);
  g_test_add_func ("/sip/transport/dual-stack", test_transport_dual_stack);
  g_test_add_func ("/sip/transport/udp-no-socket-for-family",
                   test_transport_udp_no_socket_for_family);
  g_test_add_func ("/sip/transport/needs-stream", test_transport_needs_stream);
  g_test_add_func ("/sip/transport/udp-refuses-large-request",
                   test_transport_udp_refuses_large_request);
  g_test_add_func ("/sip/transport/udp-garbage", test_transport_udp_garbage);
  g_test_add_func ("/sip/transport/tcp-request-response", test_transport_tcp_request_response);
  g_test_add_func ("/sip/transport/tcp-reuse", test_transport_tcp_reuse);
  g_test_add_func ("/sip/transport/tcp-alias", test_transport_tcp_alias);
  g_test_add_func ("/sip/transport/tcp-ipv6", test_transport_tcp_ipv6);
  g_test_add_func ("/sip/transport/tcp-large-message", test_transport_tcp_large_message);
  g_test_add_func ("/sip/transport/tcp-connect-refused", test_transport_tcp_connect_refused);
  g_test_add_func ("/sip/transport/tcp-closed-by-peer", test_transport_tcp_closed_by_peer);
  g_test_add_func ("/sip/transport/tcp-garbage-closes", test_transport_tcp_garbage_closes);
  g_test_add_func ("/sip/transport/tcp-endless-header-closes",
                   test_transport_tcp_endless_header_closes);
  g_test_add_func ("/sip/transport/tcp-random-bytes", test_transport_tcp_random_bytes);
  g_test_add_func ("/sip/transport/server-answers-ping", test_transport_server_answers_ping);
  g_test_add_func ("/sip/transport/ping-flood-bounded", test_transport_ping_flood_bounded);
  g_test_add_func ("/sip/transport/keepalive-pong", test_transport_keepalive_pong);
  g_test_add_func ("/sip/transport/keepalive-no-pong", test_transport_keepalive_no_pong);
  g_test_add_func ("/sip/transport/idle-timeout", test_transport_idle_timeout);
  g_test_add_func ("/sip/transport/close-ends-flows", test_transport_close_ends_flows);
  g_test_add_func ("/sip/transport/send-queue-bounded", test_transport_send_queue_bounded);
  g_test_add_func ("/sip/transport/cancel-before-connected",
                   test_transport_cancel_before_connected);
  g_test_add_func ("/sip/transport/flow-limit", test_transport_flow_limit);
  return g_test_run ();
}
