/* hail-sip-flow-io.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The socket side of HailSipFlow: connect completion, reads through TLS
 * into the framer, and the write queue. Everything runs from GSocket
 * sources on the main context and never blocks.
 */
#include "config.h"

#include "hail-sip-error.h"
#include "hail-sip-flow-private.h"

/* Socket failures reach the layer above as one domain, GIO's words kept. */
GError *
_hail_sip_flow_transport_error (const GError *cause,
                                const char   *what,
                                const char   *label)
{
  return g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT, "%s %s: %s",
                      what, label, cause->message);
}

static gboolean write_cb (GSocket      *socket,
                          GIOCondition  condition,
                          gpointer      user_data);

void
_hail_sip_flow_watch_write (HailSipFlow *self)
{
  if (self->write_source != NULL)
    return;
  self->write_source = g_socket_create_source (self->socket, G_IO_OUT, NULL);
  g_source_set_callback (self->write_source, (GSourceFunc) (GCallback) write_cb, self, NULL);
  g_source_attach (self->write_source, g_main_context_get_thread_default ());
}

static void
enqueue (HailSipFlow  *self,
         const guint8 *data,
         gsize         len)
{
  g_byte_array_append (self->out, data, len);
  self->queued += len;
  _hail_sip_flow_watch_write (self);
}

static gboolean
flush_tls (HailSipFlow *self)
{
  g_autoptr(GBytes) output = NULL;

  if (self->tls == NULL)
    return FALSE;
  output = hail_sip_tls_session_take_output (self->tls);
  if (output == NULL)
    return FALSE;
  enqueue (self, g_bytes_get_data (output, NULL), g_bytes_get_size (output));
  return TRUE;
}

/* Puts plaintext on the wire, through TLS when there is TLS. */
gboolean
_hail_sip_flow_encode (HailSipFlow   *self,
                       const guint8  *data,
                       gsize          len,
                       GError       **error)
{
  if (self->tls == NULL)
    {
      enqueue (self, data, len);
      return TRUE;
    }
  if (!hail_sip_tls_session_write (self->tls, data, len, error))
    return FALSE;
  flush_tls (self);
  return TRUE;
}

static void
complete_sends (HailSipFlow *self)
{
  Send *send;

  while ((send = g_queue_peek_head (&self->inflight)) != NULL && send->end <= self->written)
    {
      g_queue_pop_head (&self->inflight);
      g_task_return_boolean (send->task, TRUE);
      _hail_sip_flow_send_free (send);
    }
}

/* Takes every whole frame out of the framer; FALSE once the flow closed. */
static gboolean
drain (HailSipFlow *self)
{
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) message = NULL;
      HailSipFrameKind kind;

      if (!hail_sip_framer_next (self->framer, &kind, &message, &error))
        {
          if (g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE))
            return TRUE;
          /* RFC 3261 §18.3: a stream that cannot be framed is closed. */
          g_prefix_error (&error, "Broken stream from %s: ", self->label);
          _hail_sip_flow_fail (self, g_steal_pointer (&error));
          return FALSE;
        }

      switch (kind)
        {
        case HAIL_SIP_FRAME_MESSAGE:
          _hail_sip_flow_touch (self);
          _hail_sip_flow_emit_message (self, message);
          if (self->state == HAIL_SIP_FLOW_STATE_CLOSED)
            return FALSE;
          break;

        case HAIL_SIP_FRAME_PING:
          /* RFC 5626 §4.4.1: the server side answers a ping with a pong. A
           * client may see two pongs back to back as a ping: both mean the
           * peer is alive. */
          if (self->incoming)
            {
              if (!_hail_sip_flow_encode (self, (const guint8 *) "\r\n", 2, &error))
                {
                  _hail_sip_flow_fail (self, g_steal_pointer (&error));
                  return FALSE;
                }
            }
          else
            {
              g_clear_handle_id (&self->pong_id, g_source_remove);
            }
          break;

        case HAIL_SIP_FRAME_PONG:
          g_clear_handle_id (&self->pong_id, g_source_remove);
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

static gboolean
push_plain (HailSipFlow  *self,
            const guint8 *data,
            gsize         len)
{
  g_autoptr(GError) error = NULL;

  if (!hail_sip_framer_push (self->framer, data, len, &error))
    {
      g_prefix_error (&error, "Broken stream from %s: ", self->label);
      _hail_sip_flow_fail (self, g_steal_pointer (&error));
      return FALSE;
    }
  return drain (self);
}

/* TLS: advance the handshake, then decrypt everything buffered. */
static void
read_tls (HailSipFlow *self)
{
  guint8 plain[HAIL_SIP_READ_CHUNK_SIZE];

  if (self->state == HAIL_SIP_FLOW_STATE_HANDSHAKING)
    {
      g_autoptr(GError) error = NULL;

      if (!hail_sip_tls_session_handshake (self->tls, &error))
        {
          flush_tls (self);
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              /* Try to get the alert out; the socket closes right after. */
              if (self->out_pos < self->out->len)
                g_socket_send (self->socket, (const char *) self->out->data + self->out_pos,
                               self->out->len - self->out_pos, NULL, NULL);
              _hail_sip_flow_fail (self, g_steal_pointer (&error));
            }
          return;
        }
      g_debug ("%s: TLS established, peer %s", self->label,
               hail_sip_tls_session_get_peer_subject (self->tls));
      flush_tls (self);
      _hail_sip_flow_become_ready (self);
      if (self->state != HAIL_SIP_FLOW_STATE_READY)
        return;
    }

  while (self->state == HAIL_SIP_FLOW_STATE_READY)
    {
      g_autoptr(GError) error = NULL;
      /* Never more than the framer takes, so nothing is held elsewhere. */
      gsize want = MIN (sizeof plain, hail_sip_framer_get_space (self->framer));
      gssize n = hail_sip_tls_session_read (self->tls, plain, MAX (want, 1), &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n < 0)
        {
          _hail_sip_flow_fail (self, g_steal_pointer (&error));
          return;
        }
      if (n == 0)
        {
          _hail_sip_flow_fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                                  "The connection was closed by %s", self->label));
          return;
        }
      if (!push_plain (self, plain, n))
        return;
    }
  /* Reading may have produced output (session tickets, key updates). */
  if (self->state != HAIL_SIP_FLOW_STATE_CLOSED)
    flush_tls (self);
}

static gboolean
read_cb (GSocket      *socket,
         GIOCondition  condition,
         gpointer      user_data)
{
  HailSipFlow *self = user_data;
  g_autoptr(HailSipFlow) hold G_GNUC_UNUSED = g_object_ref (self);
  g_autoptr(GError) error = NULL;
  guint8 buffer[HAIL_SIP_READ_CHUNK_SIZE];
  gsize want = sizeof buffer;
  gssize n;

  /* Plain TCP reads no more than the framer takes. TLS ciphertext is
   * decrypted and framed in full before the next read, so it stays bounded
   * by one read too. */
  if (self->tls == NULL)
    want = MIN (want, hail_sip_framer_get_space (self->framer));
  n = g_socket_receive (socket, (char *) buffer, want, NULL, &error);
  if (n < 0)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        return G_SOURCE_CONTINUE;
      _hail_sip_flow_fail (self,
                           _hail_sip_flow_transport_error (error, "Reading from", self->label));
      return G_SOURCE_REMOVE;
    }
  if (n == 0)
    {
      _hail_sip_flow_fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                              "The connection was closed by %s", self->label));
      return G_SOURCE_REMOVE;
    }
  self->last_rx = g_get_monotonic_time ();

  if (self->tls != NULL)
    {
      hail_sip_tls_session_receive (self->tls, buffer, n);
      read_tls (self);
    }
  else
    {
      push_plain (self, buffer, n);
    }

  /* What the peer makes us write (pongs, TLS records) without reading it
   * back is bounded like our own sends, plus room for one message. */
  if (self->state != HAIL_SIP_FLOW_STATE_CLOSED &&
      self->out->len - self->out_pos > HAIL_SIP_MAX_SEND_QUEUE + HAIL_SIP_MAX_MESSAGE_SIZE)
    _hail_sip_flow_fail (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                            "%s is not reading what it asked for", self->label));
  return self->state == HAIL_SIP_FLOW_STATE_CLOSED ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

void
_hail_sip_flow_start_reading (HailSipFlow *self)
{
  self->read_source = g_socket_create_source (self->socket, G_IO_IN, NULL);
  g_source_set_callback (self->read_source, (GSourceFunc) (GCallback) read_cb, self, NULL);
  g_source_attach (self->read_source, g_main_context_get_thread_default ());
}

void
_hail_sip_flow_connected (HailSipFlow *self)
{
  g_autoptr(GSocketAddress) local = g_socket_get_local_address (self->socket, NULL);

  if (G_IS_INET_SOCKET_ADDRESS (local))
    {
      g_set_object (&self->local, G_INET_SOCKET_ADDRESS (local));
      g_object_notify (G_OBJECT (self), "local-address");
    }
  _hail_sip_flow_start_reading (self);
  if (self->tls == NULL)
    {
      _hail_sip_flow_become_ready (self);
      return;
    }

  _hail_sip_flow_set_state (self, HAIL_SIP_FLOW_STATE_HANDSHAKING);
  /* Sends the ClientHello. */
  read_tls (self);
}

static gboolean
write_cb (GSocket      *socket,
          GIOCondition  condition,
          gpointer      user_data)
{
  HailSipFlow *self = user_data;
  g_autoptr(HailSipFlow) hold G_GNUC_UNUSED = g_object_ref (self);
  g_autoptr(GError) error = NULL;
  gssize n;

  if (self->state == HAIL_SIP_FLOW_STATE_CONNECTING)
    {
      if (!g_socket_check_connect_result (socket, &error))
        {
          _hail_sip_flow_fail (self, _hail_sip_flow_transport_error (error, "Cannot connect to",
                                                                     self->label));
          return G_SOURCE_REMOVE;
        }
      g_clear_pointer (&self->write_source, g_source_unref);
      _hail_sip_flow_connected (self);
      /* connected() may have queued bytes and made a new write source. */
      return G_SOURCE_REMOVE;
    }

  if (self->out_pos < self->out->len)
    {
      n = g_socket_send (socket, (const char *) self->out->data + self->out_pos,
                         self->out->len - self->out_pos, NULL, &error);
      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            return G_SOURCE_CONTINUE;
          _hail_sip_flow_fail (self,
                               _hail_sip_flow_transport_error (error, "Writing to", self->label));
          return G_SOURCE_REMOVE;
        }
      self->out_pos += n;
      self->written += n;
      if (self->out_pos == self->out->len)
        {
          g_byte_array_set_size (self->out, 0);
          self->out_pos = 0;
        }
      complete_sends (self);
    }

  if (self->state == HAIL_SIP_FLOW_STATE_CLOSED)
    return G_SOURCE_REMOVE;
  if (self->out_pos < self->out->len)
    return G_SOURCE_CONTINUE;
  g_clear_pointer (&self->write_source, g_source_unref);
  return G_SOURCE_REMOVE;
}
