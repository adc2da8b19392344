/* test-msrp-tls.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MSRP over TLS with self-signed certificates pinned by a=fingerprint
 * (RFC 4975 §14.4, RFC 8122): two HailMsrpSessions on 127.0.0.1 (port 0),
 * a text and a file byte-exact, a peer whose certificate is not the pinned
 * one refused from either side, a peer without a fingerprint verified
 * against CAs, garbage and a cut handshake on the passive side, and the
 * bytes on the wire read through a relay.
 */
#include "config.h"

#include <string.h>

#include "hail-msrp-builder.h"
#include "hail-msrp-connection.h"
#include "hail-msrp-session.h"
#include "hail-sip-error.h"
#include "hail-sip-tls-identity.h"
#include "hail-test-util.h"
#include "test-msrp-util.h"

#define WAIT_MS MSRP_TEST_WAIT_MS

/* A peer with a TLS session on 127.0.0.1 and its own identity. */
static void
peer_init (MsrpTestPeer *peer)
{
  msrp_test_peer_init (peer, msrp_test_new_session (TRUE));
}

/* Gives each the other's path and, unless NULL, the fingerprint it pins. */
static void
link_peers (MsrpTestPeer *a,
            const char   *a_pins,
            MsrpTestPeer *b,
            const char   *b_pins)
{
  g_autoptr(GError) error = NULL;

  msrp_test_link_paths (a->session, b->session);
  g_assert_true (hail_msrp_session_set_remote_fingerprint (a->session, a_pins, &error));
  g_assert_true (hail_msrp_session_set_remote_fingerprint (b->session, b_pins, &error));
  g_assert_no_error (error);
}

/* Text that names itself, so the wire can be searched for it. */
static GBytes *
make_text (gsize len)
{
  GString *s = g_string_new (NULL);

  while (s->len < len)
    g_string_append (s, "PLAINTEXT-MARKER \xe2\x82\xac ");
  g_string_truncate (s, len);
  return g_string_free_to_bytes (s);
}

static void
test_fingerprint_check (void)
{
  g_autoptr(HailSipTlsIdentity) one = NULL;
  g_autoptr(HailSipTlsIdentity) two = NULL;
  g_autoptr(HailSipTlsIdentity) process = NULL;
  g_autoptr(HailSipTlsIdentity) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *lower = NULL;
  const char *sha1 = "sha-1 4A:AD:B9:B1:3F:82:18:3B:54:02:12:DF:3E:5D:49:6B:19:E5:7C:AB";

  one = hail_sip_tls_identity_new (&error);
  g_assert_no_error (error);
  two = hail_sip_tls_identity_new (&error);
  process = hail_sip_tls_identity_dup_default (&error);
  again = hail_sip_tls_identity_dup_default (&error);
  g_assert_no_error (error);
  /* Each identity has its own key; the process keeps one. */
  g_assert_cmpstr (hail_sip_tls_identity_get_fingerprint (one), !=,
                   hail_sip_tls_identity_get_fingerprint (two));
  g_assert_true (process == again);
  g_assert_true (g_str_has_prefix (hail_sip_tls_identity_get_fingerprint (one), "sha-256 "));
  g_assert_cmpuint (strlen (hail_sip_tls_identity_get_fingerprint (one)), ==, 8 + 32 * 3 - 1);
  g_assert_cmpuint (hail_sip_tls_fingerprint_check (hail_sip_tls_identity_get_fingerprint (one),
                                                    &error), ==, 32);
  g_assert_no_error (error);
  /* Hash names and hex digits in either case. */
  lower = g_ascii_strdown (hail_sip_tls_identity_get_fingerprint (one), -1);
  lower[0] = 'S';
  g_assert_cmpuint (hail_sip_tls_fingerprint_check (lower, &error), ==, 32);
  g_assert_no_error (error);

  /* Blanks around the value are passed over. */
  g_free (lower);
  lower = g_strdup_printf (" %s \t", hail_sip_tls_identity_get_fingerprint (one));
  g_assert_cmpuint (hail_sip_tls_fingerprint_check (lower, &error), ==, 32);
  g_assert_no_error (error);

  g_assert_cmpuint (hail_sip_tls_fingerprint_check (sha1, &error), ==, 0);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "too weak"));
  g_clear_error (&error);
  g_assert_cmpuint (hail_sip_tls_fingerprint_check ("sha-256 4A:AD", &error), ==, 0);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_cmpuint (hail_sip_tls_fingerprint_check ("sha-256", &error), ==, 0);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_cmpuint (hail_sip_tls_fingerprint_check ("whirlpool 00", &error), ==, 0);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  /* A digest of the right length with a bad separator or digit. */
  g_free (lower);
  lower = g_strdup (hail_sip_tls_identity_get_fingerprint (one));
  lower[10] = '-';
  g_assert_cmpuint (hail_sip_tls_fingerprint_check (lower, &error), ==, 0);
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED);
}

static void
test_text_3000 (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) text = make_text (3000);
  g_autoptr(GBytes) reply = make_text (1500);

  peer_init (&a);
  peer_init (&b);
  link_peers (&a, hail_msrp_session_get_fingerprint (b.session),
              &b, hail_msrp_session_get_fingerprint (a.session));
  msrp_test_start_pair (&a, &b, TRUE);
  msrp_test_transfer (&b, &a, "application/octet-stream", text);
  msrp_test_transfer (&a, &b, "application/octet-stream", reply);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static void
test_file_1mb (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) file = msrp_test_make_binary (1000 * 1000);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);
  g_autofree char *got = NULL;

  peer_init (&a);
  peer_init (&b);
  link_peers (&a, hail_msrp_session_get_fingerprint (b.session),
              &b, hail_msrp_session_get_fingerprint (a.session));
  hail_msrp_session_set_chunk_size (b.session, 64 * 1024);
  msrp_test_start_pair (&a, &b, FALSE);
  msrp_test_transfer (&b, &a, "application/octet-stream", file);
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, a.messages->pdata[0]);
  g_assert_cmpstr (got, ==, sha);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static char *
other_fingerprint (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipTlsIdentity) other = hail_sip_tls_identity_new (&error);

  g_assert_no_error (error);
  return g_strdup (hail_sip_tls_identity_get_fingerprint (other));
}

/* One side pins another certificate than the one it is shown (a relay in
 * the middle would show its own). The active side that sees it fails with
 * the reason; a passive side turns the connection away before reading its
 * SEND and keeps listening, so the active side fails on its alert. */
static void
refuses_mismatch (gboolean active_pins_other)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autofree char *other = other_fingerprint ();
  const GError *reason;

  peer_init (&a);
  peer_init (&b);
  if (active_pins_other)
    link_peers (&a, hail_msrp_session_get_fingerprint (b.session), &b, other);
  else
    link_peers (&a, other, &b, hail_msrp_session_get_fingerprint (a.session));
  msrp_test_start_pair (&a, &b, FALSE);
  g_assert_true (msrp_test_wait_state (b.session, HAIL_MSRP_SESSION_STATE_FAILED));
  reason = hail_msrp_session_get_error (b.session);
  if (active_pins_other)
    {
      g_assert_error (reason, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
      g_assert_nonnull (strstr (reason->message, "the peer's certificate does not match the "
                                                 "fingerprint in its SDP"));
      g_assert_nonnull (strstr (reason->message, "CN=Hail"));
    }
  else
    {
      g_assert_error (reason, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS);
      g_assert_nonnull (strstr (reason->message, "bad certificate"));
    }
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==,
                   HAIL_MSRP_SESSION_STATE_CONNECTING);
  g_assert_cmpuint (a.messages->len, ==, 0);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static void
test_active_refuses_mismatch (void)
{
  refuses_mismatch (TRUE);
}

static void
test_passive_refuses_mismatch (void)
{
  refuses_mismatch (FALSE);
}

/* No a=fingerprint: the certificate must verify against the CAs for the
 * host of the path, which a self-signed one never does. */
static void
test_no_fingerprint_needs_ca (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  const GError *reason;

  peer_init (&a);
  peer_init (&b);
  link_peers (&a, NULL, &b, NULL);
  msrp_test_start_pair (&a, &b, FALSE);
  g_assert_true (msrp_test_wait_state (b.session, HAIL_MSRP_SESSION_STATE_FAILED));
  reason = hail_msrp_session_get_error (b.session);
  g_assert_error (reason, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
  g_assert_nonnull (strstr (reason->message, "not trusted"));

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

typedef struct {
  GSocket *socket;
  gboolean closed;
} RawPeer;

/* Drains what the session sends and notes when it closed on us. */
static gboolean
raw_closed_cb (gpointer data)
{
  RawPeer *raw = data;
  char buf[4096];
  gssize n;

  while ((n = g_socket_receive (raw->socket, buf, sizeof buf, NULL, NULL)) > 0)
    ;
  raw->closed = n == 0;
  return raw->closed;
}

static GSocketConnection *
raw_connect (HailMsrpSession *session)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection =
    g_socket_client_connect_to_host (client, "127.0.0.1",
                                     hail_msrp_uri_get_port (
                                       hail_msrp_session_get_local_uri (session)),
                                     NULL, &error);

  g_assert_no_error (error);
  g_socket_set_blocking (g_socket_connection_get_socket (connection), FALSE);
  return connection;
}

/* Sends @data and waits for the passive session to drop the connection. */
static void
raw_refused (HailMsrpSession *session,
             const guint8    *data,
             gsize            len,
             gboolean         hang_up)
{
  g_autoptr(GSocketConnection) connection = raw_connect (session);
  RawPeer raw = { g_socket_connection_get_socket (connection), FALSE };

  /* Small writes into an empty socket buffer: the kernel takes them whole. */
  g_assert_cmpint (g_socket_send (raw.socket, (const char *) data, len, NULL, NULL), ==, len);
  if (hang_up)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return;
    }
  g_assert_true (hail_test_wait_until (raw_closed_cb, &raw, WAIT_MS));
}

/* The first flight of a TLS client that pins @fingerprint. */
static GBytes *
client_hello (const char *fingerprint)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipTlsIdentity) identity = hail_sip_tls_identity_new (&error);
  g_autoptr(HailSipTlsContext) context =
    hail_sip_tls_context_new_for_identity (identity, FALSE, NULL, &error);
  g_autoptr(HailSipTlsSession) tls = hail_sip_tls_session_new_pinned (context, fingerprint,
                                                                      &error);

  g_assert_no_error (error);
  g_assert_false (hail_sip_tls_session_handshake (tls, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
  return hail_sip_tls_session_take_output (tls);
}

/* Garbage, a handshake cut short, a stranger's certificate: the passive
 * side drops each connection and still binds its real peer afterwards. */
static void
test_passive_survives_garbage (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) noise = msrp_test_make_binary (3000);
  g_autoptr(GBytes) hello = NULL;
  g_autoptr(GBytes) text = make_text (3000);
  const char *http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const guint8 *data;
  gsize len;

  peer_init (&a);
  peer_init (&b);
  link_peers (&a, hail_msrp_session_get_fingerprint (b.session),
              &b, hail_msrp_session_get_fingerprint (a.session));
  g_assert_true (hail_msrp_session_start (a.session, HAIL_SDP_SETUP_PASSIVE, NULL));

  raw_refused (a.session, (const guint8 *) http, strlen (http), FALSE);
  raw_refused (a.session, g_bytes_get_data (noise, NULL), g_bytes_get_size (noise), FALSE);
  /* A TLS record header that announces more than the bytes that follow. */
  raw_refused (a.session, (const guint8 *) "\x16\x03\x01\x40\x00\x01", 6, TRUE);
  hello = client_hello (hail_msrp_session_get_fingerprint (a.session));
  data = g_bytes_get_data (hello, &len);
  raw_refused (a.session, data, len / 2, TRUE);
  /* A whole ClientHello, then garbage where the next flight belongs. */
  {
    g_autoptr(GByteArray) both = g_byte_array_new ();

    g_byte_array_append (both, data, len);
    g_byte_array_append (both, g_bytes_get_data (noise, NULL), 512);
    raw_refused (a.session, both->data, both->len, FALSE);
  }
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==,
                   HAIL_MSRP_SESSION_STATE_CONNECTING);

  g_assert_true (hail_msrp_session_start (b.session, HAIL_SDP_SETUP_ACTIVE, NULL));
  g_assert_true (msrp_test_wait_state (a.session, HAIL_MSRP_SESSION_STATE_READY));
  msrp_test_transfer (&b, &a, "application/octet-stream", text);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

/* A relay that copies bytes both ways and keeps what went through. */
typedef struct {
  GString      *seen;
  GCancellable *cancellable;
  guint         n_pumps;
} Tap;

typedef struct {
  Tap           *tap;
  GInputStream  *from;
  GOutputStream *to;
  GBytes        *chunk;
} Pump;

static void pump_read (Pump *pump);

static void
pump_free (Pump *pump)
{
  pump->tap->n_pumps--;
  g_object_unref (pump->from);
  g_object_unref (pump->to);
  g_clear_pointer (&pump->chunk, g_bytes_unref);
  g_free (pump);
}

static void
pump_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Pump *pump = user_data;

  g_clear_pointer (&pump->chunk, g_bytes_unref);
  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    {
      pump_free (pump);
      return;
    }
  pump_read (pump);
}

static void
pump_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Pump *pump = user_data;
  const char *data;
  gsize len;

  pump->chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);
  if (pump->chunk == NULL || g_bytes_get_size (pump->chunk) == 0)
    {
      g_output_stream_close (pump->to, NULL, NULL);
      pump_free (pump);
      return;
    }
  data = g_bytes_get_data (pump->chunk, &len);
  g_string_append_len (pump->tap->seen, data, len);
  g_output_stream_write_all_async (pump->to, data, len,
                                   G_PRIORITY_DEFAULT, pump->tap->cancellable,
                                   pump_written_cb, pump);
}

static void
pump_read (Pump *pump)
{
  g_input_stream_read_bytes_async (pump->from, 64 * 1024, G_PRIORITY_DEFAULT,
                                   pump->tap->cancellable, pump_read_cb, pump);
}

static void
pump_start (Tap               *tap,
            GSocketConnection *from,
            GSocketConnection *to)
{
  Pump *pump = g_new0 (Pump, 1);

  pump->tap = tap;
  pump->from = g_object_ref (g_io_stream_get_input_stream (G_IO_STREAM (from)));
  pump->to = g_object_ref (g_io_stream_get_output_stream (G_IO_STREAM (to)));
  tap->n_pumps++;
  pump_read (pump);
}

static gboolean
pumps_done_cb (gpointer data)
{
  return ((Tap *) data)->n_pumps == 0;
}

/* Accepts from @listener, which holds a pending connection. */
static GSocketConnection *
accept_pending (GSocketListener *listener)
{
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection = g_socket_listener_accept (listener, NULL, NULL, &error);

  g_assert_no_error (error);
  return connection;
}

static GSocketListener *
listen_loopback (guint16 *port)
{
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  GSocketListener *listener = g_socket_listener_new ();

  g_assert_true (g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  return listener;
}

static GSocketConnection *
connect_loopback (guint16 port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection = g_socket_client_connect_to_host (client, "127.0.0.1", port,
                                                                   NULL, &error);

  g_assert_no_error (error);
  return connection;
}

static void
connection_message_cb (HailMsrpConnection *connection,
                       HailMsrpMessage    *message,
                       GPtrArray          *bodies)
{
  g_ptr_array_add (bodies, hail_msrp_message_dup_body (message));
}

static gboolean
count_cb (gpointer data)
{
  return ((GPtrArray *) data)->len > 0;
}

/* What crosses the wire between two pinned connections: ciphertext only.
 * The connections run through a relay, which a session would refuse
 * (RFC 4975 §6.1 compares the To-Path's address with its own). */
static void
test_wire_is_ciphertext (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HailSipTlsIdentity) server_id = hail_sip_tls_identity_new (&error);
  g_autoptr(HailSipTlsIdentity) client_id = hail_sip_tls_identity_new (&error);
  g_autoptr(HailSipTlsContext) server_ctx =
    hail_sip_tls_context_new_for_identity (server_id, TRUE, NULL, &error);
  g_autoptr(HailSipTlsContext) client_ctx =
    hail_sip_tls_context_new_for_identity (client_id, FALSE, NULL, &error);
  g_autoptr(HailSipTlsSession) server_tls =
    hail_sip_tls_session_new_pinned (server_ctx, hail_sip_tls_identity_get_fingerprint (client_id),
                                     &error);
  g_autoptr(HailSipTlsSession) client_tls =
    hail_sip_tls_session_new_pinned (client_ctx, hail_sip_tls_identity_get_fingerprint (server_id),
                                     &error);
  g_autoptr(GSocketListener) server_listener = NULL;
  g_autoptr(GSocketListener) tap_listener = NULL;
  g_autoptr(GSocketConnection) client_socket = NULL;
  g_autoptr(GSocketConnection) tap_down = NULL;
  g_autoptr(GSocketConnection) tap_up = NULL;
  g_autoptr(GSocketConnection) server_socket = NULL;
  g_autoptr(HailMsrpConnection) client = NULL;
  g_autoptr(HailMsrpConnection) server = NULL;
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GBytes) text = make_text (3000);
  HailMsrpBuilder *builder;
  g_autoptr(GPtrArray) to = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);
  g_autoptr(GPtrArray) from = g_ptr_array_new_with_free_func ((GDestroyNotify) hail_msrp_uri_unref);
  g_autoptr(GBytes) frame = NULL;
  Tap tap = { g_string_new (NULL), g_cancellable_new (), 0 };
  guint16 server_port;
  guint16 tap_port;

  g_assert_no_error (error);
  server_listener = listen_loopback (&server_port);
  tap_listener = listen_loopback (&tap_port);
  /* Loopback connects complete from the backlog: no accept has to run. */
  client_socket = connect_loopback (tap_port);
  tap_down = accept_pending (tap_listener);
  tap_up = connect_loopback (server_port);
  server_socket = accept_pending (server_listener);
  pump_start (&tap, tap_down, tap_up);
  pump_start (&tap, tap_up, tap_down);

  client = hail_msrp_connection_new (client_socket, client_tls, "client");
  server = hail_msrp_connection_new (server_socket, server_tls, "server");
  g_signal_connect (server, "message", G_CALLBACK (connection_message_cb), bodies);
  hail_msrp_connection_start (server);
  hail_msrp_connection_start (client);

  g_ptr_array_add (to, hail_msrp_uri_new (TRUE, "127.0.0.1", server_port, "server"));
  g_ptr_array_add (from, hail_msrp_uri_new (TRUE, "127.0.0.1", tap_port, "client"));
  builder = hail_msrp_builder_new_request ("tid00001", "SEND");
  hail_msrp_builder_set_to_path (builder, to);
  hail_msrp_builder_set_from_path (builder, from);
  hail_msrp_builder_add_header (builder, "Message-ID", "wire0001");
  /* Frees the builder. */
  frame = hail_msrp_builder_finish (builder, "text/plain", g_bytes_get_data (text, NULL),
                                    g_bytes_get_size (text), HAIL_MSRP_CONTINUATION_COMPLETE,
                                    &error);
  g_assert_no_error (error);
  g_assert_true (hail_msrp_connection_send (client, frame));
  g_assert_true (hail_test_wait_until (count_cb, bodies, WAIT_MS));
  g_assert_true (g_bytes_equal (bodies->pdata[0], text));

  /* The relay saw the handshake and the records, never the frame. */
  g_assert_cmpuint (tap.seen->len, >, g_bytes_get_size (frame));
  g_assert_null (g_strstr_len (tap.seen->str, tap.seen->len, "MSRP "));
  g_assert_null (g_strstr_len (tap.seen->str, tap.seen->len, "PLAINTEXT-MARKER"));
  g_assert_null (g_strstr_len (tap.seen->str, tap.seen->len, "wire0001"));

  hail_msrp_connection_close (client);
  hail_msrp_connection_close (server);
  g_assert_true (hail_test_wait_until (pumps_done_cb, &tap, WAIT_MS));
  g_string_free (tap.seen, TRUE);
  g_object_unref (tap.cancellable);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sip/msrp/tls/fingerprint-check", test_fingerprint_check);
  g_test_add_func ("/sip/msrp/tls/text-3000", test_text_3000);
  g_test_add_func ("/sip/msrp/tls/file-1mb-sha256", test_file_1mb);
  g_test_add_func ("/sip/msrp/tls/active-refuses-mismatch", test_active_refuses_mismatch);
  g_test_add_func ("/sip/msrp/tls/passive-refuses-mismatch", test_passive_refuses_mismatch);
  g_test_add_func ("/sip/msrp/tls/no-fingerprint-needs-ca", test_no_fingerprint_needs_ca);
  g_test_add_func ("/sip/msrp/tls/passive-survives-garbage", test_passive_survives_garbage);
  g_test_add_func ("/sip/msrp/tls/wire-is-ciphertext", test_wire_is_ciphertext);

  return g_test_run ();
}
