/* media-test-relay.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the relay receives goes on to the receiver at once, except every
 * hold_every-th packet, sent hold_ms later, until max_held were held.
 */
#include "media-test-relay.h"

typedef struct {
  GBytes *packet;
  gint64  due;     /* monotonic, µs */
} Held;

struct _MediaTestRelay {
  GSocket        *socket;
  GSocketAddress *to;
  GSource        *in;
  GSource        *timer;
  GQueue          held;       /* of Held, in due order */
  guint           forwarded;
  guint           n_held;     /* held so far */
  guint           released;   /* held and sent on */
  guint           max_held;
  guint           hold_every;
  guint           hold_ms;
};

static void
held_free (Held *held)
{
  g_bytes_unref (held->packet);
  g_free (held);
}

static void
relay_send (MediaTestRelay *relay,
            GBytes         *packet)
{
  g_autoptr(GError) error = NULL;

  g_socket_send_to (relay->socket, relay->to, g_bytes_get_data (packet, NULL),
                    g_bytes_get_size (packet), NULL, &error);
  g_assert_no_error (error);
}

static void schedule_release (MediaTestRelay *relay);

static gboolean
release_cb (gpointer data)
{
  MediaTestRelay *relay = data;
  Held *held;

  g_clear_pointer (&relay->timer, g_source_unref);
  while ((held = g_queue_peek_head (&relay->held)) != NULL
         && held->due <= g_get_monotonic_time () + 1000)
    {
      relay_send (relay, held->packet);
      relay->released++;
      held_free (g_queue_pop_head (&relay->held));
    }
  schedule_release (relay);
  return G_SOURCE_REMOVE;
}

static void
schedule_release (MediaTestRelay *relay)
{
  Held *held = g_queue_peek_head (&relay->held);
  gint64 wait;

  if (held == NULL || relay->timer != NULL)
    return;
  wait = MAX (0, held->due - g_get_monotonic_time ());
  relay->timer = g_timeout_source_new ((guint) (wait / 1000));
  g_source_set_callback (relay->timer, release_cb, relay, NULL);
  g_source_attach (relay->timer, NULL);
}

static gboolean
relay_in_cb (GSocket      *socket,
             GIOCondition  condition,
             gpointer      data)
{
  MediaTestRelay *relay = data;
  guint8 buf[2048];
  gssize n;

  /* Bounded: a burst larger than this waits for the next dispatch. */
  for (guint i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) packet = NULL;

      n = g_socket_receive (socket, (char *) buf, sizeof buf, NULL, &error);
      if (n < 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          break;
        }
      packet = g_bytes_new (buf, (gsize) n);
      relay->forwarded++;
      if (relay->n_held < relay->max_held && relay->forwarded % relay->hold_every == 0)
        {
          Held *held = g_new (Held, 1);

          held->packet = g_steal_pointer (&packet);
          held->due = g_get_monotonic_time () + (gint64) relay->hold_ms * 1000;
          g_queue_push_tail (&relay->held, held);
          relay->n_held++;
          schedule_release (relay);
        }
      else
        relay_send (relay, packet);
    }
  return G_SOURCE_CONTINUE;
}

MediaTestRelay *
media_test_relay_new (guint16 to_port,
                      guint   hold_every,
                      guint   hold_ms,
                      guint   max_held)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  MediaTestRelay *relay = g_new0 (MediaTestRelay, 1);

  relay->socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                G_SOCKET_PROTOCOL_UDP, &error);
  g_assert_no_error (error);
  g_socket_bind (relay->socket, any, FALSE, &error);
  g_assert_no_error (error);
  g_socket_set_blocking (relay->socket, FALSE);
  relay->to = g_inet_socket_address_new (loopback, to_port);
  relay->max_held = max_held;
  relay->hold_every = MAX (hold_every, 1);
  relay->hold_ms = hold_ms;
  g_queue_init (&relay->held);
  relay->in = g_socket_create_source (relay->socket, G_IO_IN, NULL);
  g_source_set_callback (relay->in, (GSourceFunc) (void (*) (void)) relay_in_cb, relay, NULL);
  g_source_attach (relay->in, NULL);
  return relay;
}

guint16
media_test_relay_get_port (MediaTestRelay *relay)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketAddress) address = g_socket_get_local_address (relay->socket, &error);

  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (address));
}

void
media_test_relay_free (MediaTestRelay *relay)
{
  g_source_destroy (relay->in);
  g_source_unref (relay->in);
  if (relay->timer != NULL)
    {
      g_source_destroy (relay->timer);
      g_source_unref (relay->timer);
    }
  g_queue_clear_full (&relay->held, (GDestroyNotify) held_free);
  g_socket_close (relay->socket, NULL);
  g_object_unref (relay->socket);
  g_object_unref (relay->to);
  g_free (relay);
}

guint
media_test_relay_get_held (MediaTestRelay *relay)
{
  return relay->n_held;
}

guint
media_test_relay_get_released (MediaTestRelay *relay)
{
  return relay->released;
}

guint
media_test_relay_get_max_held (MediaTestRelay *relay)
{
  return relay->max_held;
}
