/* test-stack-util.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "test-stack-util.h"

#include "hail-sip-message-builder.h"
#include "hail-test-util.h"

#include <string.h>
#include <sys/socket.h>
#include <time.h>

static void
datagram_free (Datagram *d)
{
  g_bytes_unref (d->data);
  g_clear_pointer (&d->message, hail_sip_message_unref);
  g_free (d);
}

/* When the kernel took the datagram in (SO_TIMESTAMPNS), so that the gaps
 * the tests measure between retransmissions do not depend on how late this
 * busy main loop got round to reading them. */
static gint64
arrival_time (struct msghdr *msg)
{
  for (struct cmsghdr *c = CMSG_FIRSTHDR (msg); c != NULL; c = CMSG_NXTHDR (msg, c))
    {
      if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS)
        {
          struct timespec ts;

          memcpy (&ts, CMSG_DATA (c), sizeof ts);
          return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
        }
    }
  return g_get_real_time ();
}

static gboolean
readable_cb (GSocket      *socket,
             GIOCondition  condition,
             gpointer      user_data)
{
  RawPeer *peer = user_data;
  char buf[65536];
  struct sockaddr_storage native;
  char control[CMSG_SPACE (sizeof (struct timespec))];
  struct iovec iov = { buf, sizeof buf };
  struct msghdr msg = { 0 };
  gssize n;

  msg.msg_name = &native;
  msg.msg_namelen = sizeof native;
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  n = recvmsg (g_socket_get_fd (socket), &msg, MSG_DONTWAIT);
  if (n >= 0)
    {
      Datagram *d = g_new0 (Datagram, 1);

      d->data = g_bytes_new (buf, (gsize) n);
      d->time = arrival_time (&msg);
      d->message = hail_sip_message_parse (d->data, HAIL_SIP_PARSE_DATAGRAM, NULL, NULL, NULL);
      g_ptr_array_add (peer->received, d);
      g_clear_object (&peer->last_from);
      peer->last_from = g_socket_address_new_from_native (&native, msg.msg_namelen);
    }
  return G_SOURCE_CONTINUE;
}

RawPeer *
raw_peer_new (void)
{
  RawPeer *peer = g_new0 (RawPeer, 1);
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GError) error = NULL;

  peer->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                               G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (peer->socket, any, FALSE, &error);
  g_assert_no_error (error);
  peer->address = G_INET_SOCKET_ADDRESS (g_socket_get_local_address (peer->socket, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (peer->socket, FALSE);
  g_assert_true (g_socket_set_option (peer->socket, SOL_SOCKET, SO_TIMESTAMPNS, 1, &error));
  g_assert_no_error (error);
  peer->received = g_ptr_array_new_with_free_func ((GDestroyNotify) datagram_free);
  peer->source = g_socket_create_source (peer->socket, G_IO_IN, NULL);
  g_source_set_callback (peer->source, (GSourceFunc) (GCallback) readable_cb, peer, NULL);
  g_source_attach (peer->source, NULL);
  return peer;
}

void
raw_peer_free (RawPeer *peer)
{
  g_source_destroy (peer->source);
  g_source_unref (peer->source);
  g_socket_close (peer->socket, NULL);
  g_object_unref (peer->socket);
  g_object_unref (peer->address);
  g_clear_object (&peer->last_from);
  g_ptr_array_unref (peer->received);
  g_free (peer);
}

gboolean
raw_peer_wait (RawPeer *peer,
               guint    count,
               guint    timeout_ms)
{
  return hail_test_wait_count (peer->received, count, timeout_ms);
}

void
raw_peer_send (RawPeer            *peer,
               GInetSocketAddress *to,
               const char         *text)
{
  g_autoptr(GError) error = NULL;

  g_socket_send_to (peer->socket, G_SOCKET_ADDRESS (to), text, strlen (text), NULL, &error);
  g_assert_no_error (error);
}

HailSipMessage *
raw_peer_message (RawPeer *peer,
                  guint    index)
{
  Datagram *d;

  g_assert_cmpuint (index, <, peer->received->len);
  d = g_ptr_array_index (peer->received, index);
  g_assert_nonnull (d->message);
  return d->message;
}

void
raw_peer_reply (RawPeer    *peer,
                guint       index,
                guint       status,
                const char *extra)
{
  HailSipMessage *request = raw_peer_message (peer, index);
  g_autoptr(HailSipMessageBuilder) builder = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  builder = hail_sip_message_builder_new_reply (request, status, NULL,
                                                status > 100 ? "peertag" : NULL);
  lines = g_strsplit (extra != NULL ? extra : "", "\r\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      hail_sip_message_builder_add_header (builder, lines[i], g_strstrip (colon + 1));
    }
  bytes = hail_sip_message_builder_to_bytes (builder, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_assert_nonnull (peer->last_from);
  raw_peer_send (peer, G_INET_SOCKET_ADDRESS (peer->last_from), text);
}

HailSipStack *
test_stack_new (gboolean tcp)
{
  g_autoptr(HailSipTransport) transport = hail_sip_transport_new ();
  g_autoptr(GInetAddress) lo = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (lo, 0);
  g_autoptr(GInetSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  HailSipStack *stack = hail_sip_stack_new (transport);

  hail_sip_stack_set_timers (stack, 20, 80, 100);
  bound = hail_sip_stack_listen (stack, HAIL_SIP_TRANSPORT_KIND_UDP, G_INET_SOCKET_ADDRESS (any),
                                 &error);
  g_assert_no_error (error);
  if (tcp)
    {
      g_autoptr(GInetSocketAddress) bound_tcp =
        hail_sip_stack_listen (stack, HAIL_SIP_TRANSPORT_KIND_TCP, G_INET_SOCKET_ADDRESS (any),
                               &error);
      g_assert_no_error (error);
      g_assert_nonnull (bound_tcp);
    }
  return stack;
}

HailSipTarget *
test_target (RawPeer *peer)
{
  return hail_sip_target_new (HAIL_SIP_TRANSPORT_KIND_UDP, peer->address, NULL);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
test_drain (guint ms)
{
  hail_test_wait_until (never, NULL, ms);
}
