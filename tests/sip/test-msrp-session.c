/* test-msrp-session.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two HailMsrpSessions on 127.0.0.1 (port 0): binding, texts and a file
 * byte-exact, reports, cancellation, limits, a peer that goes away mid-
 * transfer, one that never answers, and TLS with certificates made by
 * gen-test-certs.sh at test time.
 */
#include "config.h"

#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-session.h"
#include "hail-sip-error.h"
#include "hail-test-util.h"
#include "test-msrp-util.h"

#define WAIT_MS MSRP_TEST_WAIT_MS

static char *cert_dir;

/* The offerer @a passive, the answerer @b active (RFC 6135 with actpass),
 * both ready. */
static void
pair_start (MsrpTestPeer *a,
            MsrpTestPeer *b)
{
  msrp_test_link_paths (a->session, b->session);
  msrp_test_start_pair (a, b, TRUE);
}

/* Two plain TCP sessions, started as pair_start() does. */
static void
pair_open (MsrpTestPeer *a,
           MsrpTestPeer *b)
{
  msrp_test_peer_init (a, msrp_test_new_session (FALSE));
  msrp_test_peer_init (b, msrp_test_new_session (FALSE));
  pair_start (a, b);
}

/* UTF-8 text of exactly @len bytes with 1- to 4-byte characters. */
static GBytes *
make_text (gsize len)
{
  static const char *pieces[] = { "a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x93\x9e", "\r\n",
                                  "-------" };
  GString *s = g_string_new (NULL);
  guint i = 0;

  while (s->len < len)
    {
      const char *p = pieces[i++ % G_N_ELEMENTS (pieces)];

      g_string_append (s, s->len + strlen (p) <= len ? p : "z");
    }
  g_assert_true (g_utf8_validate (s->str, s->len, NULL));
  return g_string_free_to_bytes (s);
}

static void
test_answer_setup (void)
{
  g_assert_cmpint (hail_msrp_session_answer_setup (HAIL_SDP_SETUP_ACTPASS), ==,
                   HAIL_SDP_SETUP_ACTIVE);
  g_assert_cmpint (hail_msrp_session_answer_setup (HAIL_SDP_SETUP_PASSIVE), ==,
                   HAIL_SDP_SETUP_ACTIVE);
  g_assert_cmpint (hail_msrp_session_answer_setup (HAIL_SDP_SETUP_ACTIVE), ==,
                   HAIL_SDP_SETUP_PASSIVE);
}

static void
test_start_needs_path (void)
{
  MsrpTestPeer a = { 0 };
  g_autoptr(GError) error = NULL;
  const char *udp_hop[] = { "msrp://127.0.0.1:1/a;udp", "msrp://127.0.0.1:2/b;tcp", NULL };

  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  g_assert_false (hail_msrp_session_start (a.session, HAIL_SDP_SETUP_ACTIVE, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED);
  g_clear_error (&error);
  g_assert_false (hail_msrp_session_set_remote_path (a.session, udp_hop, &error));
  g_assert_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED);
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==, HAIL_MSRP_SESSION_STATE_IDLE);
  msrp_test_peer_clear (&a);
}

static void
exchange_text (gsize    len,
               gboolean success_report)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) text = make_text (len);
  g_autoptr(GBytes) reply = make_text (len / 2 + 1);
  g_autoptr(HailMsrpOutgoing) m1 = NULL;
  MsrpTestResult r1 = { 0 };

  pair_open (&a, &b);

  /* The active side sends, then the passive one answers. */
  m1 = hail_msrp_session_new_outgoing (b.session, "text/plain;charset=UTF-8", text);
  if (success_report)
    hail_msrp_outgoing_set_reports (m1, HAIL_MSRP_REPORT_YES, HAIL_MSRP_REPORT_YES);
  msrp_test_send_and_wait (b.session, m1, &r1);
  g_assert_no_error (r1.error);
  g_assert_true (hail_test_wait_count (a.messages, 1, WAIT_MS));
  g_assert_true (g_bytes_equal (a.messages->pdata[0], text));
  g_assert_cmpstr (a.types->pdata[0], ==, "text/plain;charset=UTF-8");
  g_assert_cmpuint (a.n_progress, ==, (len + HAIL_MSRP_DEFAULT_CHUNK_SIZE - 1) /
                                      HAIL_MSRP_DEFAULT_CHUNK_SIZE);

  msrp_test_transfer (&a, &b, "text/plain", reply);
  g_assert_cmpuint (a.aborted->len + b.aborted->len, ==, 0);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static void
test_text_3000 (void)
{
  exchange_text (3000, FALSE);
}

static void
test_text_100000 (void)
{
  exchange_text (100000, TRUE);
}

static void
progress_cb (HailMsrpSession  *session,
             HailMsrpOutgoing *message,
             guint64           acked,
             guint64           total,
             guint64          *last)
{
  g_assert_cmpuint (acked, >=, *last);
  g_assert_cmpuint (acked, <=, total);
  *last = acked;
}

static void
test_file_5mb (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) file = msrp_test_make_binary (5 * 1000 * 1000);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);
  g_autofree char *got = NULL;
  g_autoptr(HailMsrpOutgoing) m = NULL;
  MsrpTestResult r = { 0 };
  guint64 last = 0;

  pair_open (&a, &b);
  hail_msrp_session_set_chunk_size (b.session, 64 * 1024);
  g_signal_connect (b.session, "send-progress", G_CALLBACK (progress_cb), &last);

  m = hail_msrp_session_new_outgoing (b.session, "application/octet-stream", file);
  msrp_test_send_and_wait (b.session, m, &r);
  g_assert_no_error (r.error);
  g_assert_cmpuint (last, ==, g_bytes_get_size (file));
  g_assert_true (hail_test_wait_count (a.messages, 1, WAIT_MS));
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, a.messages->pdata[0]);
  g_assert_cmpstr (got, ==, sha);
  g_assert_cmpint (a.last_total, ==, 5 * 1000 * 1000);
  g_assert_cmpuint (a.last_received, ==, 5 * 1000 * 1000);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static gboolean
received_over_cb (gpointer data)
{
  MsrpTestPeer *p = data;

  return p->last_received >= 1000 * 1000;
}

/* One side goes away mid-transfer: the other fails with a reason. */
static void
close_mid_transfer (gboolean close_receiver)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) file = msrp_test_make_binary (5 * 1000 * 1000);
  g_autoptr(HailMsrpOutgoing) m = NULL;
  MsrpTestResult r = { 0 };
  const GError *reason;

  pair_open (&a, &b);
  m = hail_msrp_session_new_outgoing (b.session, "application/octet-stream", file);
  hail_msrp_session_send_async (b.session, m, NULL, msrp_test_sent_cb, &r);
  g_assert_true (hail_test_wait_until (received_over_cb, &a, WAIT_MS));
  g_assert_false (r.done);

  if (close_receiver)
    {
      hail_msrp_session_close (a.session);
      g_assert_true (msrp_test_wait_state (b.session, HAIL_MSRP_SESSION_STATE_FAILED));
      g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, &r, WAIT_MS));
      reason = hail_msrp_session_get_error (b.session);
      g_assert_error (reason, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
      g_assert_error (r.error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
      /* The receiver closed on purpose: its partial message is dropped. */
      g_assert_cmpuint (a.aborted->len, ==, 1);
      g_assert_error ((GError *) a.aborted->pdata[0], G_IO_ERROR, G_IO_ERROR_CLOSED);
    }
  else
    {
      hail_msrp_session_close (b.session);
      g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, &r, WAIT_MS));
      g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CLOSED);
      g_assert_true (msrp_test_wait_state (a.session, HAIL_MSRP_SESSION_STATE_FAILED));
      reason = hail_msrp_session_get_error (a.session);
      g_assert_error (reason, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
      /* Reset or closed, depending on what was in flight; it says which. */
      g_assert_nonnull (strstr (reason->message, "TCP 127.0.0.1:"));
      /* The message being received fails with the same reason. */
      g_assert_cmpuint (a.aborted->len, ==, 1);
      g_assert_error ((GError *) a.aborted->pdata[0], HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT);
    }
  g_assert_cmpuint (a.messages->len, ==, 0);
  g_clear_error (&r.error);
  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static void
test_receiver_closes (void)
{
  close_mid_transfer (TRUE);
}

static void
test_sender_closes (void)
{
  close_mid_transfer (FALSE);
}

/* RFC 5547 §9: a transfer cut off by a failed session resumes in a new
 * one from the bytes the receiver holds, and ends byte-exact. */
static void
test_resume_after_failure (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  MsrpTestPeer a2 = { 0 };
  MsrpTestPeer b2 = { 0 };
  g_autoptr(GBytes) file = msrp_test_make_binary (5 * 1000 * 1000);
  g_autofree char *sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);
  g_autofree char *got = NULL;
  g_autoptr(HailMsrpOutgoing) m = NULL;
  g_autoptr(HailMsrpOutgoing) rest = NULL;
  g_autoptr(GArray) ranges = NULL;
  g_autoptr(GError) error = NULL;
  MsrpTestResult r = { 0 };
  MsrpTestResult r2 = { 0 };
  guint64 held;

  pair_open (&a, &b);
  m = hail_msrp_session_new_outgoing (b.session, "application/octet-stream", file);
  hail_msrp_session_send_async (b.session, m, NULL, msrp_test_sent_cb, &r);
  g_assert_true (hail_test_wait_until (received_over_cb, &a, WAIT_MS));
  hail_msrp_session_close (b.session);
  g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, &r, WAIT_MS));
  g_clear_error (&r.error);
  g_assert_true (msrp_test_wait_state (a.session, HAIL_MSRP_SESSION_STATE_FAILED));
  g_assert_nonnull (a.partial);
  ranges = hail_msrp_reassembly_dup_ranges (a.partial);
  g_assert_cmpuint (ranges->len, ==, 1);
  held = (guint64) g_array_index (ranges, HailMsrpByteRange, 0).end;
  g_assert_cmpuint (held, >=, 1000 * 1000);
  g_assert_cmpuint (held, <, g_bytes_get_size (file));

  pair_open (&a2, &b2);
  rest = hail_msrp_session_new_outgoing (b2.session, "application/octet-stream", file);
  hail_msrp_outgoing_set_offset (rest, held);
  g_assert_true (hail_msrp_session_resume_incoming (a2.session,
                                                    hail_msrp_outgoing_get_message_id (rest),
                                                    "application/octet-stream", a.partial,
                                                    &error));
  g_assert_no_error (error);
  msrp_test_send_and_wait (b2.session, rest, &r2);
  g_assert_no_error (r2.error);
  g_assert_true (hail_test_wait_count (a2.messages, 1, WAIT_MS));
  got = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, a2.messages->pdata[0]);
  g_assert_cmpstr (got, ==, sha);
  /* Only the missing part travelled the second time. */
  g_assert_cmpuint (a2.last_received, ==, g_bytes_get_size (file));
  g_assert_cmpuint (hail_msrp_reassembly_get_duplicate_bytes (a.partial), ==, 0);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
  msrp_test_peer_clear (&a2);
  msrp_test_peer_clear (&b2);
}

static void
test_cancel (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) file = msrp_test_make_binary (5 * 1000 * 1000);
  g_autoptr(HailMsrpOutgoing) m = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GBytes) text = make_text (100);
  MsrpTestResult r = { 0 };

  pair_open (&a, &b);
  m = hail_msrp_session_new_outgoing (b.session, "application/octet-stream", file);
  hail_msrp_session_send_async (b.session, m, cancellable, msrp_test_sent_cb, &r);
  g_assert_true (hail_test_wait_until (received_over_cb, &a, WAIT_MS));
  g_cancellable_cancel (cancellable);
  g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, &r, WAIT_MS));
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);

  /* The receiver learns from the `#` chunk; the session goes on. */
  g_assert_true (hail_test_wait_count (a.aborted, 1, WAIT_MS));
  g_assert_error ((GError *) a.aborted->pdata[0], G_IO_ERROR, G_IO_ERROR_CANCELLED);
  msrp_test_transfer (&b, &a, "text/plain", text);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

/* A text sent while a file is on its way goes between the file's chunks
 * and arrives first (RFC 4975 §5.1). */
static void
test_text_overtakes_file (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) file = msrp_test_make_binary (5 * 1000 * 1000);
  g_autoptr(GBytes) text = make_text (3000);
  g_autoptr(HailMsrpOutgoing) big = NULL;
  g_autoptr(HailMsrpOutgoing) small = NULL;
  MsrpTestResult r_big = { 0 };
  MsrpTestResult r_small = { 0 };

  pair_open (&a, &b);
  big = hail_msrp_session_new_outgoing (b.session, "application/octet-stream", file);
  small = hail_msrp_session_new_outgoing (b.session, "text/plain", text);
  hail_msrp_session_send_async (b.session, big, NULL, msrp_test_sent_cb, &r_big);
  hail_msrp_session_send_async (b.session, small, NULL, msrp_test_sent_cb, &r_small);

  g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, &r_small, WAIT_MS));
  g_assert_no_error (r_small.error);
  g_assert_false (r_big.done);
  g_assert_true (hail_test_wait_count (a.messages, 1, WAIT_MS));
  g_assert_true (g_bytes_equal (a.messages->pdata[0], text));
  g_assert_true (hail_test_wait_until (msrp_test_result_done_cb, &r_big, WAIT_MS));
  g_assert_no_error (r_big.error);
  g_assert_true (hail_test_wait_count (a.messages, 2, WAIT_MS));
  g_assert_true (g_bytes_equal (a.messages->pdata[1], file));

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static void
test_too_large (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(GBytes) big = msrp_test_make_binary (20000);
  g_autoptr(GBytes) text = make_text (500);
  g_autoptr(HailMsrpOutgoing) m = NULL;
  g_autoptr(HailMsrpOutgoing) small = NULL;
  MsrpTestResult r = { 0 };
  MsrpTestResult r2 = { 0 };

  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  msrp_test_peer_init (&b, msrp_test_new_session (FALSE));
  hail_msrp_session_set_max_message_size (a.session, 10000);
  pair_start (&a, &b);
  m = hail_msrp_session_new_outgoing (b.session, "application/octet-stream", big);
  msrp_test_send_and_wait (b.session, m, &r);
  /* RFC 4975 §7.3.1: 413 stops the sender. */
  g_assert_error (r.error, HAIL_SIP_STATUS_ERROR, 413);
  g_clear_error (&r.error);
  g_assert_true (hail_test_wait_count (a.aborted, 1, WAIT_MS));
  g_assert_error ((GError *) a.aborted->pdata[0], HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  g_assert_cmpint (hail_msrp_session_get_state (b.session), ==, HAIL_MSRP_SESSION_STATE_READY);

  /* A small message after it arrives, so every chunk before it was seen:
   * those already on their way were refused without a second abort. */
  small = hail_msrp_session_new_outgoing (b.session, "text/plain", text);
  msrp_test_send_and_wait (b.session, small, &r2);
  g_assert_no_error (r2.error);
  g_assert_true (hail_test_wait_count (a.messages, 1, WAIT_MS));
  g_assert_cmpuint (a.aborted->len, ==, 1);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static void
test_wrong_session (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(HailMsrpUri) a_uri = NULL;
  g_autofree char *forged = NULL;
  const char *pa[2] = { NULL, NULL };
  const char *pb[] = { NULL, NULL };
  g_autoptr(GError) error = NULL;
  const GError *reason;

  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  msrp_test_peer_init (&b, msrp_test_new_session (FALSE));
  /* b knows a's address but not its session-id. */
  a_uri = hail_msrp_uri_ref (hail_msrp_session_get_local_uri (a.session));
  forged = g_strdup_printf ("msrp://127.0.0.1:%u/guessed;tcp", hail_msrp_uri_get_port (a_uri));
  pa[0] = forged;
  pb[0] = hail_msrp_session_get_local_path (b.session);
  g_assert_true (hail_msrp_session_set_remote_path (b.session, pa, &error));
  g_assert_true (hail_msrp_session_set_remote_path (a.session, pb, &error));
  g_assert_no_error (error);
  msrp_test_start_pair (&a, &b, FALSE);

  g_assert_true (msrp_test_wait_state (b.session, HAIL_MSRP_SESSION_STATE_FAILED));
  reason = hail_msrp_session_get_error (b.session);
  g_assert_error (reason, HAIL_SIP_STATUS_ERROR, 481);
  /* a keeps waiting for its real peer. */
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==,
                   HAIL_MSRP_SESSION_STATE_CONNECTING);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

/* A peer that takes the connection and the bytes but never answers. */
static void
test_no_answer (void)
{
  MsrpTestPeer b = { 0 };
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  const char *pa[] = { NULL, NULL };
  const GError *reason;

  g_assert_true (g_socket_listener_add_address (listener, any, G_SOCKET_TYPE_STREAM,
                                                G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error));
  path = g_strdup_printf ("msrp://127.0.0.1:%u/silent;tcp",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  pa[0] = path;
  msrp_test_peer_init (&b, msrp_test_new_session (FALSE));
  hail_msrp_session_set_transaction_timeout (b.session, 300);
  g_assert_true (hail_msrp_session_set_remote_path (b.session, pa, &error));
  g_assert_true (hail_msrp_session_start (b.session, HAIL_SDP_SETUP_ACTIVE, &error));
  g_assert_no_error (error);

  /* The kernel completes the connection from the backlog; nobody reads. */
  g_assert_true (msrp_test_wait_state (b.session, HAIL_MSRP_SESSION_STATE_FAILED));
  reason = hail_msrp_session_get_error (b.session);
  g_assert_error (reason, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TIMEOUT);
  g_socket_listener_close (listener);
  msrp_test_peer_clear (&b);
}

typedef struct {
  GSocket    *socket;
  GString    *in;
  const char *needle;
} RawRead;

static gboolean
raw_has_cb (gpointer data)
{
  RawRead *r = data;
  char buf[4096];
  gssize n;

  while ((n = g_socket_receive (r->socket, buf, sizeof buf, NULL, NULL)) > 0)
    g_string_append_len (r->in, buf, n);
  return strstr (r->in->str, r->needle) != NULL;
}

/* A hand-written peer: binds, sends a request the parser refuses, then a
 * good one. The session answers 400 and goes on. */
static void
test_bad_request_400 (void)
{
  MsrpTestPeer a = { 0 };
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) in = g_string_new (NULL);
  g_autofree char *bind = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *good = NULL;
  const char *raw_path = "msrp://127.0.0.1:9/rawpeer;tcp";
  const char *pb[] = { raw_path, NULL };
  HailMsrpUri *uri;
  GSocket *socket;
  RawRead r;

  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  g_assert_true (hail_msrp_session_set_remote_path (a.session, pb, &error));
  g_assert_true (hail_msrp_session_start (a.session, HAIL_SDP_SETUP_PASSIVE, &error));
  uri = hail_msrp_session_get_local_uri (a.session);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                hail_msrp_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  socket = g_socket_connection_get_socket (connection);
  g_socket_set_blocking (socket, FALSE);
  r = (RawRead) { socket, in, "MSRP bind0001 200" };

#define RAW_PATHS "To-Path: %s\r\nFrom-Path: %s\r\n"
  bind = g_strdup_printf ("MSRP bind0001 SEND\r\n" RAW_PATHS "Message-ID: bind1\r\n"
                          "-------bind0001$\r\n", hail_msrp_uri_to_string (uri), raw_path);
  bad = g_strdup_printf ("MSRP bad00001 SEND\r\n" RAW_PATHS "Message-ID: msg00001\r\n"
                         "Byte-Range: 9-1/1\r\n-------bad00001$\r\n",
                         hail_msrp_uri_to_string (uri), raw_path);
  good = g_strdup_printf ("MSRP good0001 SEND\r\n" RAW_PATHS "Message-ID: msg00002\r\n"
                          "Content-Type: text/plain\r\n\r\nstill here\r\n-------good0001$\r\n",
                          hail_msrp_uri_to_string (uri), raw_path);
  /* Small writes into an empty socket buffer: the kernel takes them whole. */
  g_assert_cmpint (g_socket_send (socket, bind, strlen (bind), NULL, NULL), ==, strlen (bind));
  g_assert_true (hail_test_wait_until (raw_has_cb, &r, WAIT_MS));
  g_assert_true (msrp_test_wait_state (a.session, HAIL_MSRP_SESSION_STATE_READY));
  g_assert_cmpint (g_socket_send (socket, bad, strlen (bad), NULL, NULL), ==, strlen (bad));
  g_assert_cmpint (g_socket_send (socket, good, strlen (good), NULL, NULL), ==, strlen (good));
  r.needle = "MSRP bad00001 400";
  g_assert_true (hail_test_wait_until (raw_has_cb, &r, WAIT_MS));
  r.needle = "MSRP good0001 200";
  g_assert_true (hail_test_wait_until (raw_has_cb, &r, WAIT_MS));
  g_assert_true (hail_test_wait_count (a.messages, 1, WAIT_MS));
  g_assert_cmpmem (g_bytes_get_data (a.messages->pdata[0], NULL),
                   g_bytes_get_size (a.messages->pdata[0]), "still here", 10);
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==, HAIL_MSRP_SESSION_STATE_READY);

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  msrp_test_peer_clear (&a);
}

/* A hand-written active peer, bound to a passive session. */
typedef struct {
  GSocketClient     *client;
  GSocketConnection *connection;
  GString           *in;
  char              *to;      /* The session's path. */
} Raw;

#define RAW_PATH "msrp://127.0.0.1:9/rawpeer;tcp"

static void
raw_send (Raw        *raw,
          const char *tid,
          const char *method,
          const char *headers,
          const char *body)
{
  g_autofree char *frame = NULL;
  GSocket *socket = g_socket_connection_get_socket (raw->connection);

  if (body != NULL)
    frame = g_strdup_printf ("MSRP %s %s\r\nTo-Path: %s\r\nFrom-Path: " RAW_PATH "\r\n"
                             "%sContent-Type: application/octet-stream\r\n\r\n%s\r\n"
                             "-------%s+\r\n", tid, method, raw->to, headers, body, tid);
  else
    frame = g_strdup_printf ("MSRP %s %s\r\nTo-Path: %s\r\nFrom-Path: " RAW_PATH "\r\n"
                             "%s-------%s$\r\n", tid, method, raw->to, headers, tid);
  /* Small writes into an empty socket buffer: the kernel takes them whole. */
  g_assert_cmpint (g_socket_send (socket, frame, strlen (frame), NULL, NULL), ==, strlen (frame));
}

static gboolean
raw_wait (Raw        *raw,
          const char *needle)
{
  RawRead r = { g_socket_connection_get_socket (raw->connection), raw->in, needle };

  return hail_test_wait_until (raw_has_cb, &r, WAIT_MS);
}

static void
raw_bind (Raw          *raw,
          MsrpTestPeer *peer)
{
  g_autoptr(GError) error = NULL;
  const char *pb[] = { RAW_PATH, NULL };
  HailMsrpUri *uri = hail_msrp_session_get_local_uri (peer->session);

  g_assert_true (hail_msrp_session_set_remote_path (peer->session, pb, &error));
  g_assert_true (hail_msrp_session_start (peer->session, HAIL_SDP_SETUP_PASSIVE, &error));
  raw->client = g_socket_client_new ();
  raw->in = g_string_new (NULL);
  raw->to = g_strdup (hail_msrp_uri_to_string (uri));
  raw->connection = g_socket_client_connect_to_host (raw->client, "127.0.0.1",
                                                     hail_msrp_uri_get_port (uri), NULL, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (g_socket_connection_get_socket (raw->connection), FALSE);
  raw_send (raw, "bind0001", "SEND", "Message-ID: bind1\r\n", NULL);
  g_assert_true (raw_wait (raw, "MSRP bind0001 200"));
  g_assert_true (msrp_test_wait_state (peer->session, HAIL_MSRP_SESSION_STATE_READY));
}

static void
raw_clear (Raw *raw)
{
  g_io_stream_close (G_IO_STREAM (raw->connection), NULL, NULL);
  g_clear_object (&raw->connection);
  g_clear_object (&raw->client);
  g_string_free (raw->in, TRUE);
  g_free (raw->to);
}

static void
test_unknown_method_501 (void)
{
  MsrpTestPeer a = { 0 };
  Raw raw = { 0 };

  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  raw_bind (&raw, &a);
  /* RFC 4975 §12: a method we do not know gets 501, and nothing breaks. */
  raw_send (&raw, "auth0001", "AUTH", "", NULL);
  g_assert_true (raw_wait (&raw, "MSRP auth0001 501"));
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==, HAIL_MSRP_SESSION_STATE_READY);
  raw_clear (&raw);
  msrp_test_peer_clear (&a);
}

/* Messages received at the same time share one memory budget of the
 * maximum message size: a second half-sent message past it gets 413. */
static void
test_incoming_budget (void)
{
  MsrpTestPeer a = { 0 };
  Raw raw = { 0 };
  g_autofree char *part = g_strnfill (6000, 'x');

  msrp_test_peer_init (&a, msrp_test_new_session (FALSE));
  hail_msrp_session_set_max_message_size (a.session, 10000);
  raw_bind (&raw, &a);
  raw_send (&raw, "one00001", "SEND", "Message-ID: msg00001\r\nByte-Range: 1-6000/8000\r\n", part);
  g_assert_true (raw_wait (&raw, "MSRP one00001 200"));
  raw_send (&raw, "two00001", "SEND", "Message-ID: msg00002\r\nByte-Range: 1-6000/8000\r\n", part);
  g_assert_true (raw_wait (&raw, "MSRP two00001 413"));
  g_assert_true (hail_test_wait_count (a.aborted, 1, WAIT_MS));
  g_assert_error ((GError *) a.aborted->pdata[0], HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE);
  /* Its later chunks are refused too, without a second abort. */
  raw_send (&raw, "two00002", "SEND", "Message-ID: msg00002\r\nByte-Range: 6001-8000/8000\r\n",
            "y");
  g_assert_true (raw_wait (&raw, "MSRP two00002 413"));
  g_assert_cmpuint (a.aborted->len, ==, 1);
  raw_clear (&raw);
  msrp_test_peer_clear (&a);
}

static HailSipTlsContext *
tls_context (gboolean server,
             gboolean trusted)
{
  g_autofree char *crt = g_build_filename (cert_dir, "server.crt", NULL);
  g_autofree char *key = g_build_filename (cert_dir, "server.key", NULL);
  g_autofree char *ca = g_build_filename (cert_dir, trusted ? "ca.crt" : "other-ca.crt", NULL);
  g_autoptr(GError) error = NULL;
  HailSipTlsContext *context = server ? hail_sip_tls_context_new_server (crt, key, &error)
                                      : hail_sip_tls_context_new_client (ca, &error);

  g_assert_no_error (error);
  return context;
}

static void
test_tls (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(HailSipTlsContext) server = tls_context (TRUE, TRUE);
  g_autoptr(HailSipTlsContext) client = tls_context (FALSE, TRUE);
  g_autoptr(GBytes) text = make_text (100000);

  msrp_test_peer_init (&a, msrp_test_new_session (TRUE));
  msrp_test_peer_init (&b, msrp_test_new_session (TRUE));
  hail_msrp_session_set_tls (a.session, NULL, server);
  hail_msrp_session_set_tls (b.session, client, NULL);
  pair_start (&a, &b);
  msrp_test_transfer (&b, &a, "text/plain", text);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

static void
test_tls_untrusted (void)
{
  MsrpTestPeer a = { 0 };
  MsrpTestPeer b = { 0 };
  g_autoptr(HailSipTlsContext) server = tls_context (TRUE, TRUE);
  g_autoptr(HailSipTlsContext) client = tls_context (FALSE, FALSE);
  g_autoptr(GError) error = NULL;
  const GError *reason;

  msrp_test_peer_init (&a, msrp_test_new_session (TRUE));
  msrp_test_peer_init (&b, msrp_test_new_session (TRUE));
  hail_msrp_session_set_tls (a.session, NULL, server);
  hail_msrp_session_set_tls (b.session, client, NULL);
  msrp_test_link_paths (a.session, b.session);
  msrp_test_start_pair (&a, &b, FALSE);

  /* Verification works as for SIP: a certificate from a CA we do not
   * trust fails the session with the reason. */
  g_assert_true (msrp_test_wait_state (b.session, HAIL_MSRP_SESSION_STATE_FAILED));
  reason = hail_msrp_session_get_error (b.session);
  g_assert_error (reason, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TLS_VERIFY);
  g_assert_nonnull (strstr (reason->message, "not trusted"));
  g_assert_cmpint (hail_msrp_session_get_state (a.session), ==,
                   HAIL_MSRP_SESSION_STATE_CONNECTING);

  msrp_test_peer_clear (&a);
  msrp_test_peer_clear (&b);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);
  cert_dir = hail_test_make_certificates ("hail-msrp-XXXXXX");

  g_test_add_func ("/sip/msrp/session/answer-setup", test_answer_setup);
  g_test_add_func ("/sip/msrp/session/start-needs-path", test_start_needs_path);
  g_test_add_func ("/sip/msrp/session/text-3000", test_text_3000);
  g_test_add_func ("/sip/msrp/session/text-100000-success-report", test_text_100000);
  g_test_add_func ("/sip/msrp/session/file-5mb-sha256", test_file_5mb);
  g_test_add_func ("/sip/msrp/session/receiver-closes-mid-transfer", test_receiver_closes);
  g_test_add_func ("/sip/msrp/session/sender-closes-mid-transfer", test_sender_closes);
  g_test_add_func ("/sip/msrp/session/resume-after-failure", test_resume_after_failure);
  g_test_add_func ("/sip/msrp/session/cancel-aborts", test_cancel);
  g_test_add_func ("/sip/msrp/session/text-overtakes-file", test_text_overtakes_file);
  g_test_add_func ("/sip/msrp/session/too-large-413", test_too_large);
  g_test_add_func ("/sip/msrp/session/wrong-session-481", test_wrong_session);
  g_test_add_func ("/sip/msrp/session/no-answer-timeout", test_no_answer);
  g_test_add_func ("/sip/msrp/session/bad-request-400", test_bad_request_400);
  g_test_add_func ("/sip/msrp/session/unknown-method-501", test_unknown_method_501);
  g_test_add_func ("/sip/msrp/session/incoming-budget-413", test_incoming_budget);
  g_test_add_func ("/sip/msrp/session/tls", test_tls);
  g_test_add_func ("/sip/msrp/session/tls-untrusted", test_tls_untrusted);

  ret = g_test_run ();
  hail_test_remove_tree (cert_dir);
  g_free (cert_dir);
  return ret;
}
