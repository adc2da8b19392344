/* test-tls.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * SIP over TLS on loopback with certificates made at test time by
 * gen-test-certs.sh: verification success, and each check that can fail.
 */
#include "config.h"

#include <string.h>

#include "hail-sip-error.h"
#include "hail-sip-transport.h"
#include "hail-test-util.h"
#include "test-transport-util.h"

#define OPTIONS "OPTIONS sip:bob@127.0.0.1 SIP/2.0\r\nContent-Length: 0\r\n\r\n"
#define RESPONSE "SIP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok"

static char *cert_dir;

static char *
cert_path (const char *name)
{
  return g_build_filename (cert_dir, name, NULL);
}

/* A TLS server presenting @name.crt, and a client trusting the test CA
 * unless @trust_test_ca is FALSE. */
typedef struct {
  Peer               *server;
  Peer               *client;
  GInetSocketAddress *address;
} Pair;

static void
pair_setup (Pair       *pair,
            const char *name,
            const char *ip,
            gboolean    trust_test_ca)
{
  g_autofree char *crt_name = g_strconcat (name, ".crt", NULL);
  g_autofree char *key_name = g_strconcat (name, ".key", NULL);
  g_autofree char *crt = cert_path (crt_name);
  g_autofree char *key = cert_path (key_name);
  g_autofree char *ca = cert_path ("ca.crt");
  g_autoptr(GError) error = NULL;

  pair->server = peer_new ();
  pair->client = peer_new ();
  g_assert_true (hail_sip_transport_set_certificate (pair->server->transport, crt, key, &error));
  g_assert_no_error (error);
  pair->address = peer_listen (pair->server, HAIL_SIP_TRANSPORT_KIND_TLS, ip);
  if (trust_test_ca)
    {
      g_assert_true (hail_sip_transport_set_ca_file (pair->client->transport, ca, &error));
      g_assert_no_error (error);
    }
}

static void
pair_clear (Pair *pair)
{
  g_clear_pointer (&pair->client, peer_free);
  g_clear_pointer (&pair->server, peer_free);
  g_clear_object (&pair->address);
}

/* Sends one request that must fail verification; returns the error. */
static GError *
send_expect_failure (Pair       *pair,
                     const char *server_name)
{
  GError *error = NULL;

  g_assert_false (peer_send (pair->client, HAIL_SIP_TRANSPORT_KIND_TLS, pair->address,
                             server_name, OPTIONS, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (pair->client->transport), ==, 0);
  g_assert_cmpuint (pair->server->received->len, ==, 0);
  return error;
}

static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("'%s' does not contain '%s'", haystack, needle);
}

static void
request_and_response (Pair       *pair,
                      const char *server_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) flow = NULL;
  g_autoptr(HailSipFlow) back = NULL;
  Received *r;

  g_assert_true (peer_send (pair->client, HAIL_SIP_TRANSPORT_KIND_TLS, pair->address,
                            server_name, OPTIONS, &flow, &error));
  g_assert_no_error (error);
  g_assert_cmpint (hail_sip_flow_get_kind (flow), ==, HAIL_SIP_TRANSPORT_KIND_TLS);
  g_assert_cmpint (hail_sip_flow_get_state (flow), ==, HAIL_SIP_FLOW_STATE_READY);
  g_assert_cmpstr (hail_sip_flow_get_peer_subject (flow), ==, "CN=server");
  g_assert_cmpstr (hail_sip_flow_get_peer_issuer (flow), ==, "CN=Hail Test CA");

  g_assert_true (peer_wait_count (pair->server->received, 1));
  r = pair->server->received->pdata[0];
  g_assert_cmpint (r->kind, ==, HAIL_SIP_TRANSPORT_KIND_TLS);
  g_assert_cmpmem (g_bytes_get_data (r->message, NULL), g_bytes_get_size (r->message),
                   OPTIONS, strlen (OPTIONS));

  /* The response goes back over the connection the client opened. */
  g_assert_true (peer_send (pair->server, HAIL_SIP_TRANSPORT_KIND_TLS, r->remote, NULL, RESPONSE,
                            &back, &error));
  g_assert_no_error (error);
  g_assert_true (back == r->flow);
  g_assert_true (peer_wait_count (pair->client->received, 1));
  g_assert_true (((Received *) pair->client->received->pdata[0])->flow == flow);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (pair->client->transport), ==, 1);
}

static void
test_tls_verified_by_address (void)
{
  Pair pair = { 0 };

  pair_setup (&pair, "server", "127.0.0.1", TRUE);
  request_and_response (&pair, NULL);
  pair_clear (&pair);
}

static void
test_tls_verified_by_name (void)
{
  Pair pair = { 0 };

  pair_setup (&pair, "server", "127.0.0.1", TRUE);
  request_and_response (&pair, "localhost");
  pair_clear (&pair);
}

static void
test_tls_reuse_needs_same_name (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) by_name = NULL;
  g_autoptr(HailSipFlow) by_address = NULL;
  g_autoptr(HailSipFlow) again = NULL;

  /* A connection verified for one name is not reused for another, even at
   * the same address (RFC 5923 §5); names compare without case. */
  pair_setup (&pair, "server", "127.0.0.1", TRUE);
  g_assert_true (peer_send (pair.client, HAIL_SIP_TRANSPORT_KIND_TLS, pair.address, "localhost",
                            OPTIONS, &by_name, &error));
  g_assert_true (peer_send (pair.client, HAIL_SIP_TRANSPORT_KIND_TLS, pair.address, NULL,
                            OPTIONS, &by_address, &error));
  g_assert_true (peer_send (pair.client, HAIL_SIP_TRANSPORT_KIND_TLS, pair.address, "LocalHost",
                            OPTIONS, &again, &error));
  g_assert_no_error (error);
  g_assert_true (by_name != by_address);
  g_assert_true (again == by_name);
  g_assert_cmpstr (hail_sip_flow_get_server_name (by_address), ==, "127.0.0.1");
  g_assert_cmpuint (hail_sip_transport_get_n_flows (pair.client->transport), ==, 2);
  g_assert_true (peer_wait_count (pair.server->received, 3));

  /* The first flow held the table slot for the address; with it gone the
   * second one is still found and reused. */
  hail_sip_flow_close (by_name);
  g_clear_object (&again);
  g_assert_true (peer_send (pair.client, HAIL_SIP_TRANSPORT_KIND_TLS, pair.address, NULL,
                            OPTIONS, &again, &error));
  g_assert_no_error (error);
  g_assert_true (again == by_address);
  g_assert_cmpuint (hail_sip_transport_get_n_flows (pair.client->transport), ==, 1);
  pair_clear (&pair);
}

static void
test_tls_ipv6 (void)
{
  Pair pair = { 0 };

  if (!ipv6_loopback_available ())
    {
      g_test_skip ("no IPv6 loopback");
      return;
    }
  pair_setup (&pair, "server", "::1", TRUE);
  request_and_response (&pair, NULL);
  pair_clear (&pair);
}

static void
test_tls_large_message (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *large = make_request ("MESSAGE", 60000);

  /* Several TLS records and several socket reads make one message. */
  pair_setup (&pair, "server", "127.0.0.1", TRUE);
  g_assert_true (peer_send (pair.client, HAIL_SIP_TRANSPORT_KIND_TLS, pair.address, NULL, large,
                            NULL, &error));
  g_assert_no_error (error);
  g_assert_true (peer_wait_count (pair.server->received, 1));
  g_assert_cmpuint (g_bytes_get_size (((Received *) pair.server->received->pdata[0])->message),
                    ==, strlen (large));
  pair_clear (&pair);
}

static void
test_tls_untrusted (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;

  pair_setup (&pair, "untrusted", "127.0.0.1", TRUE);
  error = send_expect_failure (&pair, NULL);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
  assert_contains (error->message, "the certificate of 127.0.0.1 is not trusted: "
                   "self-signed certificate in certificate chain (issuer: CN=Hail Other CA)");
  assert_contains (error->message, "subject: CN=untrusted; issuer: CN=Hail Other CA");
  pair_clear (&pair);
}

static void
test_tls_system_store_only (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;

  /* The test CA is not in the system store: without the extra CA file the
   * same server is refused. */
  pair_setup (&pair, "server", "127.0.0.1", FALSE);
  error = send_expect_failure (&pair, "localhost");
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
  assert_contains (error->message, "the certificate of localhost is not trusted");
  assert_contains (error->message, "CN=Hail Test CA");
  pair_clear (&pair);
}

static void
test_tls_wrong_name (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;

  pair_setup (&pair, "wrong", "127.0.0.1", TRUE);
  error = send_expect_failure (&pair, "localhost");
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
  assert_contains (error->message, "the certificate is for 'other.test', not 'localhost'");
  pair_clear (&pair);
}

static void
test_tls_wrong_address (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;

  pair_setup (&pair, "wrong", "127.0.0.1", TRUE);
  error = send_expect_failure (&pair, NULL);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
  assert_contains (error->message, "the certificate is for 'other.test', not '127.0.0.1'");
  pair_clear (&pair);
}

static void
test_tls_expired (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;

  pair_setup (&pair, "expired", "127.0.0.1", TRUE);
  error = send_expect_failure (&pair, NULL);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
  assert_contains (error->message, "the certificate has expired");
  assert_contains (error->message, "2021");
  pair_clear (&pair);
}

static void
test_tls_bad_ca_file (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = cert_path ("missing.crt");

  g_assert_false (hail_sip_transport_set_ca_file (client->transport, missing, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS);
  assert_contains (error->message, "missing.crt");
}

static void
test_tls_listen_needs_certificate (void)
{
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetSocketAddress) bound = NULL;

  bound = hail_sip_transport_listen (server->transport, HAIL_SIP_TRANSPORT_KIND_TLS,
                                     G_INET_SOCKET_ADDRESS (any), &error);
  g_assert_null (bound);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS);
}

static void
test_tls_plaintext_to_tls_port (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) raw = NULL;
  Closed *c;

  /* A peer speaking plain SIP to the TLS port is a TLS failure. */
  pair_setup (&pair, "server", "127.0.0.1", TRUE);
  raw = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_true (g_socket_connect (raw, G_SOCKET_ADDRESS (pair.address), NULL, &error));
  g_assert_cmpint (g_socket_send (raw, OPTIONS, strlen (OPTIONS), NULL, &error), ==,
                   strlen (OPTIONS));
  g_assert_true (peer_wait_count (pair.server->closed, 1));
  c = pair.server->closed->pdata[0];
  g_assert_error (c->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS);
  g_assert_cmpuint (pair.server->received->len, ==, 0);
  pair_clear (&pair);
}

static void
test_tls_closed_by_peer (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipFlow) flow = NULL;
  Closed *c;

  pair_setup (&pair, "server", "127.0.0.1", TRUE);
  g_assert_true (peer_send (pair.client, HAIL_SIP_TRANSPORT_KIND_TLS, pair.address, NULL, OPTIONS,
                            &flow, &error));
  g_assert_true (peer_wait_count (pair.server->received, 1));
  hail_sip_flow_close (((Received *) pair.server->received->pdata[0])->flow);
  g_assert_true (peer_wait_count (pair.client->closed, 1));
  c = pair.client->closed->pdata[0];
  g_assert_true (c->flow == flow);
  g_assert_nonnull (c->error);
  pair_clear (&pair);
}

static void
test_tls_handshake_timeout (void)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(GSocket) silent = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) address = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ca = cert_path ("ca.crt");

  /* A listener that never accepts: TCP connects from the backlog, but the
   * ClientHello is never answered. */
  g_assert_true (g_socket_bind (silent, any, TRUE, &error));
  g_assert_true (g_socket_listen (silent, &error));
  address = g_socket_get_local_address (silent, &error);
  g_assert_true (hail_sip_transport_set_ca_file (client->transport, ca, &error));
  g_object_set (client->transport, "connect-timeout", 50, NULL);
  g_assert_false (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TLS, G_INET_SOCKET_ADDRESS (address),
                             NULL, OPTIONS, NULL, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT);
  assert_contains (error->message, "timed out");
}

static void
subprocess_done_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static gboolean
flag_set (gpointer user_data)
{
  return *(gboolean *) user_data;
}

static void
test_tls_refuses_tls11 (void)
{
  Pair pair = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) client = NULL;
  g_autofree char *connect = NULL;
  gboolean done = FALSE;
  Closed *c;

  /* The openssl CLI offers TLS 1.1 only (security level 0 lets it); the
   * server must refuse: TLS 1.2 is the minimum. */
  pair_setup (&pair, "server", "127.0.0.1", TRUE);
  connect = g_strdup_printf ("127.0.0.1:%u", g_inet_socket_address_get_port (pair.address));
  client = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                             G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error,
                             "openssl", "s_client", "-connect", connect, "-tls1_1",
                             "-cipher", "DEFAULT@SECLEVEL=0", NULL);
  g_assert_no_error (error);
  g_output_stream_close (g_subprocess_get_stdin_pipe (client), NULL, NULL);
  g_subprocess_wait_async (client, NULL, subprocess_done_cb, &done);
  g_assert_true (hail_test_wait_until (flag_set, &done, 10000));
  g_assert_false (g_subprocess_get_successful (client));
  g_assert_true (peer_wait_count (pair.server->closed, 1));
  c = pair.server->closed->pdata[0];
  g_assert_error (c->error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS);
  /* Refused for its version, not for some other weakness of the offer. */
  assert_contains (c->error->message, "unsupported protocol");
  pair_clear (&pair);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  cert_dir = hail_test_make_certificates ("hail-tls-XXXXXX");

  g_test_add_func ("/sip/tls/verified-by-address", test_tls_verified_by_address);
  g_test_add_func ("/sip/tls/verified-by-name", test_tls_verified_by_name);
  g_test_add_func ("/sip/tls/reuse-needs-same-name", test_tls_reuse_needs_same_name);
  g_test_add_func ("/sip/tls/ipv6", test_tls_ipv6);
  g_test_add_func ("/sip/tls/large-message", test_tls_large_message);
  g_test_add_func ("/sip/tls/untrusted", test_tls_untrusted);
  g_test_add_func ("/sip/tls/system-store-only", test_tls_system_store_only);
  g_test_add_func ("/sip/tls/wrong-name", test_tls_wrong_name);
  g_test_add_func ("/sip/tls/wrong-address", test_tls_wrong_address);
  g_test_add_func ("/sip/tls/expired", test_tls_expired);
  g_test_add_func ("/sip/tls/bad-ca-file", test_tls_bad_ca_file);
  g_test_add_func ("/sip/tls/listen-needs-certificate", test_tls_listen_needs_certificate);
  g_test_add_func ("/sip/tls/plaintext-to-tls-port", test_tls_plaintext_to_tls_port);
  g_test_add_func ("/sip/tls/closed-by-peer", test_tls_closed_by_peer);
  g_test_add_func ("/sip/tls/handshake-timeout", test_tls_handshake_timeout);
  g_test_add_func ("/sip/tls/refuses-tls11", test_tls_refuses_tls11);
  ret = g_test_run ();

  hail_test_remove_tree (cert_dir);
  g_free (cert_dir);
  return ret;
}
