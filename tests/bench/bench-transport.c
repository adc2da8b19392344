/* bench-transport.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints figures for the framer and for TCP and TLS on loopback: framing
 * throughput, messages per second one way, and TLS connect time. Nothing
 * here asserts a speed.
 */
#include "config.h"

#include <string.h>

#include "hail-sip-framer.h"
#include "hail-sip-transport.h"
#include "hail-test-util.h"
#include "test-transport-util.h"

static void
bench_framer (void)
{
  g_autoptr(GPtrArray) names = hail_test_list_dir ("data/sip/bench");
  g_autoptr(GByteArray) stream = g_byte_array_new ();
  g_autoptr(HailSipFramer) framer = hail_sip_framer_new ();
  const guint rounds = 2000;
  guint64 bytes = 0;
  guint messages = 0;
  gint64 start;
  double seconds;

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *rel = g_build_filename ("data/sip/bench", names->pdata[i], NULL);
      g_autoptr(GBytes) data = hail_test_load_data (rel);

      g_byte_array_append (stream, g_bytes_get_data (data, NULL), g_bytes_get_size (data));
    }

  start = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    {
      /* Fed as a TCP peer would: segments of at most 1400 bytes. */
      for (gsize pos = 0; pos < stream->len;)
        {
          gsize n = MIN (1400, stream->len - pos);
          HailSipFrameKind kind;

          g_assert_true (hail_sip_framer_push (framer, stream->data + pos, n, NULL));
          pos += n;
          for (;;)
            {
              g_autoptr(GBytes) message = NULL;

              if (!hail_sip_framer_next (framer, &kind, &message, NULL))
                break;
              messages++;
            }
        }
      bytes += stream->len;
    }
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpuint (messages, ==, rounds * names->len);
  g_print ("framer: %u messages, %.1f MB in %.3f s: %.0f messages/s, %.0f MB/s\n",
           messages, bytes / 1e6, seconds, messages / seconds, bytes / 1e6 / seconds);
}

/* Keeps a window of sends in flight: the send queue of a flow is bounded,
 * so a sender that never waits is refused, as it should be. */
typedef struct {
  HailSipTransport     *transport;
  HailSipTransportKind  kind;
  GInetSocketAddress   *address;
  GBytes               *message;
  guint                 to_start;
  guint                 done;
} Window;

static void window_send (Window *window);

static void
window_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Window *window = user_data;
  g_autoptr(GError) error = NULL;

  hail_sip_transport_send_finish (HAIL_SIP_TRANSPORT (object), result, NULL, &error);
  g_assert_no_error (error);
  window->done++;
  window_send (window);
}

static void
window_send (Window *window)
{
  if (window->to_start == 0)
    return;
  window->to_start--;
  hail_sip_transport_send_async (window->transport, window->kind, window->address, NULL,
                                 window->message, NULL, window_sent_cb, window);
}

static void
bench_one_way (HailSipTransportKind  kind,
               const char           *cert_dir,
               guint                 count)
{
  g_autoptr(Peer) client = peer_new ();
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autoptr(GBytes) message = NULL;
  g_autofree char *text = make_request ("MESSAGE", 200);
  Window window = { 0 };
  gint64 start;
  double seconds;

  if (kind == HAIL_SIP_TRANSPORT_KIND_TLS)
    {
      g_autofree char *crt = g_build_filename (cert_dir, "server.crt", NULL);
      g_autofree char *key = g_build_filename (cert_dir, "server.key", NULL);
      g_autofree char *ca = g_build_filename (cert_dir, "ca.crt", NULL);

      g_assert_true (hail_sip_transport_set_certificate (server->transport, crt, key, NULL));
      g_assert_true (hail_sip_transport_set_ca_file (client->transport, ca, NULL));
    }
  address = peer_listen (server, kind, "127.0.0.1");
  message = g_bytes_new (text, strlen (text));

  /* Warm up: connect (and handshake) before the clock starts. */
  g_assert_true (peer_send (client, kind, address, NULL, text, NULL, NULL));
  g_assert_true (peer_wait_count (server->received, 1));

  start = g_get_monotonic_time ();
  window.transport = client->transport;
  window.kind = kind;
  window.address = address;
  window.message = message;
  window.to_start = count;
  for (guint i = 0; i < 64; i++)
    window_send (&window);
  g_assert_true (peer_wait_count (server->received, count + 1));
  seconds = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpuint (window.done, ==, count);
  g_print ("%s one way: %u messages of %" G_GSIZE_FORMAT " bytes in %.3f s: %.0f messages/s\n",
           hail_sip_transport_kind_to_string (kind), count, strlen (text), seconds,
           count / seconds);
}

static void
bench_tls_connect (const char *cert_dir,
                   guint       count)
{
  g_autoptr(Peer) server = peer_new ();
  g_autoptr(GInetSocketAddress) address = NULL;
  g_autofree char *crt = g_build_filename (cert_dir, "server.crt", NULL);
  g_autofree char *key = g_build_filename (cert_dir, "server.key", NULL);
  g_autofree char *ca = g_build_filename (cert_dir, "ca.crt", NULL);
  double total = 0;

  g_assert_true (hail_sip_transport_set_certificate (server->transport, crt, key, NULL));
  address = peer_listen (server, HAIL_SIP_TRANSPORT_KIND_TLS, "127.0.0.1");
  for (guint i = 0; i < count; i++)
    {
      g_autoptr(Peer) client = peer_new ();
      gint64 start;

      g_assert_true (hail_sip_transport_set_ca_file (client->transport, ca, NULL));
      start = g_get_monotonic_time ();
      g_assert_true (peer_send (client, HAIL_SIP_TRANSPORT_KIND_TLS, address, NULL,
                                "OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\n\r\n", NULL, NULL));
      total += (g_get_monotonic_time () - start) / 1e3;
    }
  g_print ("TLS connect + handshake + first send: %.2f ms on average over %u\n",
           total / count, count);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cert_dir = NULL;

  g_test_init (&argc, &argv, NULL);
  cert_dir = hail_test_make_certificates ("hail-bench-XXXXXX");

  bench_framer ();
  bench_one_way (HAIL_SIP_TRANSPORT_KIND_TCP, cert_dir, 20000);
  bench_one_way (HAIL_SIP_TRANSPORT_KIND_TLS, cert_dir, 20000);
  bench_tls_connect (cert_dir, 50);

  hail_test_remove_tree (cert_dir);
  return 0;
}
