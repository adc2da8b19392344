/* hail-msrp-connection.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The socket side of an MSRP session: one read and one write in flight on
 * the main context, TLS through memory BIOs (HailSipTlsSession), framing by
 * HailMsrpParser. A read takes at most HAIL_MSRP_READ_SIZE bytes and is
 * parsed before the next starts, so a fast peer cannot make us buffer more
 * than one frame; writes are bounded by whoever queues them (the session
 * keeps HAIL_MSRP_SEND_WINDOW).
 */
#include "config.h"

#include "hail-msrp-connection.h"

#include "hail-msrp-limits.h"
#include "hail-msrp-parser.h"
#include "hail-sip-error.h"

#include <netinet/in.h>
#include <netinet/tcp.h>

enum {
  SIGNAL_READY,
  SIGNAL_MESSAGE,
  SIGNAL_INVALID,
  SIGNAL_DRAINED,
  SIGNAL_CLOSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Frames one write takes at most (an iovec array on the stack of the
 * kernel call; Linux allows 1024). */
#define MAX_VECTORS 64

struct _HailMsrpConnection
{
  GObject parent_instance;

  /* Owned references. */
  GSocketConnection *connection;
  HailSipTlsSession *tls;
  HailMsrpParser    *parser;
  GCancellable      *cancellable;
  char              *label;
  GQueue             out;          /* GBytes* for the socket, head in flight. */
  GQueue             before_tls;   /* GBytes* plaintext queued before the handshake. */

  /* The write in flight: the first n_vectors entries of out. */
  GOutputVector      vectors[MAX_VECTORS];
  guint              n_vectors;

  /* State. */
  guint              linger_id;
  gsize              queued;
  gboolean           closing;      /* Close once the queue is empty. */
  gboolean           writing;
  gboolean           ready;
  gboolean           closed;
};

G_DEFINE_FINAL_TYPE (HailMsrpConnection, hail_msrp_connection, G_TYPE_OBJECT)

static void
finish_close (HailMsrpConnection *self,
              GError             *error)
{
  g_autoptr(HailMsrpConnection) hold G_GNUC_UNUSED = g_object_ref (self);
  g_autoptr(GError) owned G_GNUC_UNUSED = error;

  if (self->closed)
    return;
  self->closed = TRUE;
  g_clear_handle_id (&self->linger_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->tls != NULL && !self->writing)
    {
      g_autoptr(GBytes) alert = NULL;

      /* Best effort, if the socket takes it right away: a close_notify on
       * purpose, or the alert a failed handshake left, so that the peer
       * learns why (bad_certificate for a certificate we do not pin). */
      if (self->ready && error == NULL)
        hail_sip_tls_session_shutdown (self->tls);
      alert = hail_sip_tls_session_take_output (self->tls);
      if (alert != NULL)
        g_pollable_output_stream_write_nonblocking (
          G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (G_IO_STREAM (self->connection))),
          g_bytes_get_data (alert, NULL), g_bytes_get_size (alert), NULL, NULL);
    }
  g_io_stream_close_async (G_IO_STREAM (self->connection), G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_queue_clear_full (&self->out, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&self->before_tls, (GDestroyNotify) g_bytes_unref);
  self->queued = 0;
  if (error != NULL)
    g_debug ("MSRP %s failed: %s", self->label, error->message);
  g_signal_emit (self, signals[SIGNAL_CLOSED], 0, error);
}

static void write_next (HailMsrpConnection *self);

static void
write_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(HailMsrpConnection) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_output_stream_writev_all_finish (G_OUTPUT_STREAM (source), result, NULL, &error))
    {
      if (!self->closed)
        finish_close (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                         "Writing to %s: %s", self->label, error->message));
      return;
    }
  if (self->closed)
    return;
  for (guint i = 0; i < self->n_vectors; i++)
    {
      GBytes *head = g_queue_pop_head (&self->out);

      self->queued -= g_bytes_get_size (head);
      g_bytes_unref (head);
    }
  self->n_vectors = 0;
  self->writing = FALSE;
  if (self->closing && g_queue_is_empty (&self->out))
    {
      finish_close (self, NULL);
      return;
    }
  write_next (self);
  if (!self->closed && self->queued < HAIL_MSRP_SEND_WINDOW)
    g_signal_emit (self, signals[SIGNAL_DRAINED], 0);
}

static void
write_next (HailMsrpConnection *self)
{
  guint n = 0;

  if (self->writing || self->closed || g_queue_is_empty (&self->out))
    return;
  /* Everything queued goes in one system call: small frames (responses,
   * REPORTs, small chunks) would otherwise cost one each. */
  for (GList *l = self->out.head; l != NULL && n < MAX_VECTORS; l = l->next, n++)
    {
      self->vectors[n].buffer = g_bytes_get_data (l->data, &self->vectors[n].size);
    }
  self->n_vectors = n;
  self->writing = TRUE;
  g_output_stream_writev_all_async (g_io_stream_get_output_stream (G_IO_STREAM (self->connection)),
                                    self->vectors, n, G_PRIORITY_DEFAULT, self->cancellable,
                                    write_cb, g_object_ref (self));
}

static void
enqueue_wire (HailMsrpConnection *self,
              GBytes             *bytes)
{
  self->queued += g_bytes_get_size (bytes);
  g_queue_push_tail (&self->out, bytes);
  write_next (self);
}

/* Moves what TLS produced (records, alerts) to the socket queue. */
static void
flush_tls (HailMsrpConnection *self)
{
  GBytes *output = hail_sip_tls_session_take_output (self->tls);

  if (output != NULL)
    enqueue_wire (self, output);
}

static gboolean
encode (HailMsrpConnection *self,
        GBytes             *frame)
{
  g_autoptr(GError) error = NULL;

  if (self->tls == NULL)
    {
      enqueue_wire (self, g_bytes_ref (frame));
      return TRUE;
    }
  if (!hail_sip_tls_session_write (self->tls, g_bytes_get_data (frame, NULL),
                                   g_bytes_get_size (frame), &error))
    {
      finish_close (self, g_steal_pointer (&error));
      return FALSE;
    }
  flush_tls (self);
  return TRUE;
}

/* Feeds plaintext to the parser and hands on every whole message; FALSE
 * once the connection closed. */
static gboolean
push_plain (HailMsrpConnection *self,
            const guint8       *data,
            gsize               len)
{
  while (len > 0)
    {
      gsize n = MIN (len, hail_msrp_parser_get_space (self->parser));
      g_autoptr(GError) error = NULL;
      HailMsrpMessage *message;

      /* The parser holds less than one frame after draining, so it always
       * has room; a frame past the bound fails with TOO_LARGE here. */
      if (n == 0 || !hail_msrp_parser_push (self->parser, data, n, &error))
        {
          if (error == NULL)
            g_set_error (&error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                         "MSRP frame larger than %d bytes", HAIL_MSRP_MAX_FRAME_SIZE);
          g_prefix_error (&error, "Broken MSRP stream from %s: ", self->label);
          finish_close (self, g_steal_pointer (&error));
          return FALSE;
        }
      data += n;
      len -= n;
      for (;;)
        {
          g_autoptr(GBytes) bad = NULL;

          g_clear_error (&error);
          message = hail_msrp_parser_next (self->parser, &bad, &error);
          if (message != NULL)
            {
              g_signal_emit (self, signals[SIGNAL_MESSAGE], 0, message);
              hail_msrp_message_unref (message);
            }
          else if (bad != NULL)
            {
              /* One bad frame: the stream is intact, the owner answers. */
              g_debug ("MSRP %s sent an invalid message: %s", self->label, error->message);
              g_signal_emit (self, signals[SIGNAL_INVALID], 0, bad, error);
            }
          else
            {
              break;
            }
          if (self->closed || self->closing)
            return FALSE;
        }
      if (!g_error_matches (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE))
        {
          g_prefix_error (&error, "Broken MSRP stream from %s: ", self->label);
          finish_close (self, g_steal_pointer (&error));
          return FALSE;
        }
    }
  return TRUE;
}

static void
become_ready (HailMsrpConnection *self)
{
  GBytes *frame;

  self->ready = TRUE;
  while ((frame = g_queue_pop_head (&self->before_tls)) != NULL)
    {
      gboolean ok;

      self->queued -= g_bytes_get_size (frame);
      ok = encode (self, frame);

      g_bytes_unref (frame);
      if (!ok)
        return;
    }
  g_signal_emit (self, signals[SIGNAL_READY], 0);
}

/* TLS: advances the handshake, then decrypts everything buffered. */
static gboolean
read_tls (HailMsrpConnection *self)
{
  guint8 plain[16 * 1024];

  if (!self->ready)
    {
      g_autoptr(GError) error = NULL;

      if (!hail_sip_tls_session_handshake (self->tls, &error))
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            {
              flush_tls (self);
              return TRUE;
            }
          g_prefix_error (&error, "TLS with %s: ", self->label);
          finish_close (self, g_steal_pointer (&error));
          return FALSE;
        }
      flush_tls (self);
      become_ready (self);
      if (self->closed)
        return FALSE;
    }

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = hail_sip_tls_session_read (self->tls, plain, sizeof plain, &error);

      if (n < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        break;
      if (n <= 0)
        {
          if (n == 0)
            g_set_error (&error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                         "The connection was closed by %s", self->label);
          finish_close (self, g_steal_pointer (&error));
          return FALSE;
        }
      if (!push_plain (self, plain, n))
        return FALSE;
    }
  flush_tls (self);
  return TRUE;
}

static void read_next (HailMsrpConnection *self);

static void
read_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(HailMsrpConnection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result,
                                                              &error);
  gboolean alive;

  if (self->closed || self->closing)
    return;
  if (bytes == NULL)
    {
      finish_close (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                       "Reading from %s: %s", self->label, error->message));
      return;
    }
  if (g_bytes_get_size (bytes) == 0)
    {
      finish_close (self, g_error_new (HAIL_SIP_ERROR, HAIL_SIP_ERROR_TRANSPORT,
                                       "The connection was closed by %s", self->label));
      return;
    }
  if (self->tls != NULL)
    {
      hail_sip_tls_session_receive (self->tls, g_bytes_get_data (bytes, NULL),
                                    g_bytes_get_size (bytes));
      alive = read_tls (self);
    }
  else
    {
      alive = push_plain (self, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
    }
  if (alive)
    read_next (self);
}

static void
read_next (HailMsrpConnection *self)
{
  g_input_stream_read_bytes_async (g_io_stream_get_input_stream (G_IO_STREAM (self->connection)),
                                   HAIL_MSRP_READ_SIZE, G_PRIORITY_DEFAULT, self->cancellable,
                                   read_cb, g_object_ref (self));
}

static void
hail_msrp_connection_dispose (GObject *object)
{
  HailMsrpConnection *self = (HailMsrpConnection *)object;

  if (!self->closed && self->connection != NULL)
    {
      self->closed = TRUE;
      g_cancellable_cancel (self->cancellable);
      g_io_stream_close_async (G_IO_STREAM (self->connection), G_PRIORITY_DEFAULT, NULL, NULL,
                               NULL);
    }
  g_queue_clear_full (&self->out, (GDestroyNotify) g_bytes_unref);
  g_queue_clear_full (&self->before_tls, (GDestroyNotify) g_bytes_unref);
  g_clear_object (&self->connection);
  g_clear_object (&self->tls);
  g_clear_object (&self->parser);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (hail_msrp_connection_parent_class)->dispose (object);
}

static void
hail_msrp_connection_finalize (GObject *object)
{
  HailMsrpConnection *self = (HailMsrpConnection *)object;

  g_clear_pointer (&self->label, g_free);

  G_OBJECT_CLASS (hail_msrp_connection_parent_class)->finalize (object);
}

static void
hail_msrp_connection_class_init (HailMsrpConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = hail_msrp_connection_dispose;
  object_class->finalize = hail_msrp_connection_finalize;

  signals[SIGNAL_READY] = g_signal_new ("ready", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_MESSAGE] = g_signal_new ("message", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                          HAIL_TYPE_MSRP_MESSAGE | G_SIGNAL_TYPE_STATIC_SCOPE);
  signals[SIGNAL_INVALID] = g_signal_new ("invalid", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                          G_TYPE_BYTES, G_TYPE_ERROR);
  signals[SIGNAL_DRAINED] = g_signal_new ("drained", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
hail_msrp_connection_init (HailMsrpConnection *self)
{
  self->parser = hail_msrp_parser_new ();
  self->cancellable = g_cancellable_new ();
  g_queue_init (&self->out);
  g_queue_init (&self->before_tls);
}

HailMsrpConnection *
hail_msrp_connection_new (GSocketConnection *connection,
                          HailSipTlsSession *tls,
                          const char        *label)
{
  HailMsrpConnection *self;

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);
  g_return_val_if_fail (tls == NULL || HAIL_IS_SIP_TLS_SESSION (tls), NULL);
  g_return_val_if_fail (label != NULL, NULL);

  self = g_object_new (HAIL_TYPE_MSRP_CONNECTION, NULL);
  self->connection = g_object_ref (connection);
  /* Responses and REPORTs are small and answer the peer's chunks: Nagle's
   * algorithm would hold them for the peer's delayed ACK (40 ms each). */
  if (!g_socket_set_option (g_socket_connection_get_socket (connection), IPPROTO_TCP,
                            TCP_NODELAY, 1, NULL))
    g_debug ("MSRP %s: cannot set TCP_NODELAY", label);
  self->tls = tls != NULL ? g_object_ref (tls) : NULL;
  self->label = g_strdup (label);
  return self;
}

void
hail_msrp_connection_start (HailMsrpConnection *self)
{
  g_return_if_fail (HAIL_IS_MSRP_CONNECTION (self));
  g_return_if_fail (!self->closed);

  read_next (self);
  if (self->tls == NULL)
    {
      become_ready (self);
      return;
    }
  /* A client sends its ClientHello now; a server waits for it. */
  read_tls (self);
}

gboolean
hail_msrp_connection_is_ready (HailMsrpConnection *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_CONNECTION (self), FALSE);

  return self->ready && !self->closed;
}

gboolean
hail_msrp_connection_is_closed (HailMsrpConnection *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_CONNECTION (self), TRUE);

  return self->closed;
}

const char *
hail_msrp_connection_get_label (HailMsrpConnection *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_CONNECTION (self), NULL);

  return self->label;
}

gboolean
hail_msrp_connection_send (HailMsrpConnection *self,
                           GBytes             *frame)
{
  g_return_val_if_fail (HAIL_IS_MSRP_CONNECTION (self), FALSE);
  g_return_val_if_fail (frame != NULL && g_bytes_get_size (frame) > 0, FALSE);

  if (self->closed)
    return FALSE;
  if (!self->ready)
    {
      g_queue_push_tail (&self->before_tls, g_bytes_ref (frame));
      self->queued += g_bytes_get_size (frame);
      return TRUE;
    }
  return encode (self, frame);
}

gsize
hail_msrp_connection_get_queued (HailMsrpConnection *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_CONNECTION (self), 0);

  return self->queued;
}

static gboolean
linger_cb (gpointer user_data)
{
  HailMsrpConnection *self = user_data;

  self->linger_id = 0;
  finish_close (self, NULL);
  return G_SOURCE_REMOVE;
}

void
hail_msrp_connection_close_soon (HailMsrpConnection *self)
{
  g_return_if_fail (HAIL_IS_MSRP_CONNECTION (self));

  if (self->closed || self->closing)
    return;
  if (g_queue_is_empty (&self->out) && g_queue_is_empty (&self->before_tls))
    {
      finish_close (self, NULL);
      return;
    }
  self->closing = TRUE;
  /* The source holds a reference, so the connection outlives its owner
   * until the linger ends. */
  self->linger_id = g_timeout_add_full (G_PRIORITY_DEFAULT, HAIL_MSRP_LINGER_MS, linger_cb,
                                        g_object_ref (self), g_object_unref);
}

void
hail_msrp_connection_close (HailMsrpConnection *self)
{
  g_return_if_fail (HAIL_IS_MSRP_CONNECTION (self));

  finish_close (self, NULL);
}
