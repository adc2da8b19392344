/* hail-sip-framer.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cuts a TCP or TLS byte stream into SIP messages (RFC 3261 §18.3): skip the
 * CRLFs that separate messages (RFC 5626 keep-alives), find the blank line
 * that ends the header section, read Content-Length, wait for the body.
 * It never looks at anything else: parsing is the message layer's job.
 */
#include "config.h"

#include "hail-sip-framer.h"

#include <string.h>

#include "hail-sip-error.h"

struct _HailSipFramer
{
  GObject parent_instance;

  /* Unconsumed stream bytes are data[start, len); never more than
   * HAIL_SIP_MAX_MESSAGE_SIZE of them. */
  GByteArray *buffer;
  gsize       start;

  /* The message being cut: header_len is 0 until its blank line was found,
   * and scanned is how far the search for that blank line has got, so bytes
   * arriving one at a time do not make it quadratic. */
  gsize       header_len;
  gsize       body_len;
  gsize       scanned;

  /* A lone CRLF was taken as a pong; a second one right behind it completes
   * a ping that the stream delivered in two pieces. */
  gboolean    half_ping;

  /* Once broken, always broken: the flow must be closed. */
  GError     *error;
};

G_DEFINE_FINAL_TYPE (HailSipFramer, hail_sip_framer, G_TYPE_OBJECT)

static gboolean
fail (HailSipFramer  *self,
      GError        **error,
      int             code,
      const char     *format,
      ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail (HailSipFramer  *self,
      GError        **error,
      int             code,
      const char     *format,
      ...)
{
  va_list args;

  g_assert (self->error == NULL);
  va_start (args, format);
  self->error = g_error_new_valist (HAIL_SIP_ERROR, code, format, args);
  va_end (args);
  g_debug ("framer: %s", self->error->message);
  if (error != NULL)
    *error = g_error_copy (self->error);
  return FALSE;
}

static gboolean
incomplete (GError **error)
{
  g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE,
                       "More bytes are needed for a whole message");
  return FALSE;
}

static inline gboolean
is_wsp (guint8 c)
{
  return c == ' ' || c == '\t';
}

/* Finds "\r\n\r\n" in p[from, len); returns the offset just past it or 0. */
static gsize
find_blank_line (const guint8 *p,
                 gsize         from,
                 gsize         len)
{
  for (gsize i = from; i + 4 <= len; i++)
    {
      const guint8 *hit = memchr (p + i, '\r', len - i);

      if (hit == NULL)
        return 0;
      i = hit - p;
      if (i + 4 <= len && memcmp (p + i, "\r\n\r\n", 4) == 0)
        return i + 4;
    }
  return 0;
}

/* The end of the logical header line starting at @i: a CRLF not followed by
 * SP or HT (a fold). Returns the offset of that CRLF. */
static gsize
header_end (const guint8 *p,
            gsize         i,
            gsize         len)
{
  while (i + 1 < len)
    {
      if (p[i] == '\r' && p[i + 1] == '\n' && (i + 2 >= len || !is_wsp (p[i + 2])))
        return i;
      i++;
    }
  return len;
}

static gboolean
name_is_content_length (const guint8 *name,
                        gsize         len)
{
  return (len == 1 && (name[0] == 'l' || name[0] == 'L')) ||
         (len == 14 && g_ascii_strncasecmp ((const char *) name, "Content-Length", 14) == 0);
}

/* Reads a Content-Length value: LWS, digits, LWS (a fold counts as LWS).
 * Values above the message bound are kept as bound + 1, never overflowed. */
static gboolean
parse_length (const guint8 *p,
              gsize         len,
              gsize        *value)
{
  gsize i = 0;
  gsize v = 0;
  gsize digits = 0;

  while (i < len && (is_wsp (p[i]) || p[i] == '\r' || p[i] == '\n'))
    i++;
  while (i < len && g_ascii_isdigit (p[i]))
    {
      if (v <= HAIL_SIP_MAX_MESSAGE_SIZE)
        v = v * 10 + (p[i] - '0');
      i++;
      digits++;
    }
  while (i < len && (is_wsp (p[i]) || p[i] == '\r' || p[i] == '\n'))
    i++;
  if (digits == 0 || i != len)
    return FALSE;
  *value = MIN (v, (gsize) HAIL_SIP_MAX_MESSAGE_SIZE + 1);
  return TRUE;
}

/* Finds the one Content-Length of the header section p[0, len), which ends
 * with its blank line. */
static gboolean
read_content_length (HailSipFramer  *self,
                     const guint8   *p,
                     gsize           len,
                     gsize          *length,
                     GError        **error)
{
  gboolean found = FALSE;
  gsize i;

  /* Skip the start line; the last CRLF is the blank line. */
  i = header_end (p, 0, len - 2) + 2;
  while (i < len - 2)
    {
      gsize end = header_end (p, i, len - 2);
      const guint8 *colon = memchr (p + i, ':', end - i);
      gsize name_len;
      gsize value;

      if (colon != NULL)
        {
          name_len = colon - (p + i);
          while (name_len > 0 && is_wsp (p[i + name_len - 1]))
            name_len--;
          if (name_is_content_length (p + i, name_len))
            {
              gsize vstart = colon + 1 - p;

              if (!parse_length (p + vstart, end - vstart, &value))
                return fail (self, error, HAIL_SIP_ERROR_MALFORMED,
                             "Content-Length '%.*s' is not a non-negative number",
                             (int) MIN (end - vstart, 40), (const char *) p + vstart);
              if (found && value != *length)
                return fail (self, error, HAIL_SIP_ERROR_MALFORMED,
                             "Two different Content-Length values");
              found = TRUE;
              *length = value;
            }
        }
      i = end + 2;
    }

  /* RFC 3261 §18.3: on a stream, Content-Length MUST be present. */
  if (!found)
    return fail (self, error, HAIL_SIP_ERROR_MALFORMED,
                 "A message on a stream transport has no Content-Length");
  return TRUE;
}

static void
consume (HailSipFramer *self,
         gsize          n)
{
  self->start += n;
  if (self->start == self->buffer->len)
    {
      g_byte_array_set_size (self->buffer, 0);
      self->start = 0;
    }
}

static void
hail_sip_framer_finalize (GObject *object)
{
  HailSipFramer *self = (HailSipFramer *)object;

  g_clear_pointer (&self->buffer, g_byte_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (hail_sip_framer_parent_class)->finalize (object);
}

static void
hail_sip_framer_class_init (HailSipFramerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_sip_framer_finalize;
}

static void
hail_sip_framer_init (HailSipFramer *self)
{
  self->buffer = g_byte_array_new ();
}

HailSipFramer *
hail_sip_framer_new (void)
{
  return g_object_new (HAIL_TYPE_SIP_FRAMER, NULL);
}

gsize
hail_sip_framer_get_buffered (HailSipFramer *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FRAMER (self), 0);

  return self->buffer->len - self->start;
}

gsize
hail_sip_framer_get_space (HailSipFramer *self)
{
  g_return_val_if_fail (HAIL_IS_SIP_FRAMER (self), 0);

  if (self->error != NULL)
    return 0;
  return HAIL_SIP_MAX_MESSAGE_SIZE - (self->buffer->len - self->start);
}

gboolean
hail_sip_framer_push (HailSipFramer  *self,
                      const guint8   *data,
                      gsize           len,
                      GError        **error)
{
  g_return_val_if_fail (HAIL_IS_SIP_FRAMER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  if (len > hail_sip_framer_get_space (self))
    return fail (self, error, HAIL_SIP_ERROR_TOO_LARGE,
                 "More than %d bytes buffered without a whole message",
                 HAIL_SIP_MAX_MESSAGE_SIZE);

  /* Move the unconsumed tail to the front before growing, so the buffer
   * never holds more than the bound. */
  if (self->start > 0)
    {
      gsize rest = self->buffer->len - self->start;

      memmove (self->buffer->data, self->buffer->data + self->start, rest);
      g_byte_array_set_size (self->buffer, rest);
      self->start = 0;
    }
  g_byte_array_append (self->buffer, data, len);
  return TRUE;
}

gboolean
hail_sip_framer_next (HailSipFramer     *self,
                      HailSipFrameKind  *kind,
                      GBytes           **message,
                      GError           **error)
{
  const guint8 *p;
  gsize avail;

  g_return_val_if_fail (HAIL_IS_SIP_FRAMER (self), FALSE);
  g_return_val_if_fail (kind != NULL, FALSE);
  g_return_val_if_fail (message != NULL && *message == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }

  p = self->buffer->data + self->start;
  avail = self->buffer->len - self->start;

  if (self->header_len == 0)
    {
      gsize limit;
      gsize end;

      if (avail == 0)
        return incomplete (error);

      /* RFC 5626 §4.4.1 keep-alives between messages: CRLFCRLF pings and
       * CRLF pongs. RFC 3261 §7.5 also asks to ignore stray CRLFs here. */
      if (p[0] == '\r')
        {
          if (avail < 2)
            return incomplete (error);
          if (p[1] != '\n')
            return fail (self, error, HAIL_SIP_ERROR_MALFORMED,
                         "A bare CR before the start line");
          /* CRLF CR may still become a CRLFCRLF ping. */
          if (avail == 3 && p[2] == '\r')
            return incomplete (error);
          if (avail >= 4 && memcmp (p, "\r\n\r\n", 4) == 0)
            {
              consume (self, 4);
              self->half_ping = FALSE;
              *kind = HAIL_SIP_FRAME_PING;
              return TRUE;
            }
          consume (self, 2);
          *kind = self->half_ping ? HAIL_SIP_FRAME_PING : HAIL_SIP_FRAME_PONG;
          self->half_ping = !self->half_ping;
          return TRUE;
        }
      self->half_ping = FALSE;

      limit = MIN (avail, (gsize) HAIL_SIP_MAX_HEADER_SIZE);
      end = find_blank_line (p, self->scanned, limit);
      if (end == 0)
        {
          if (avail >= HAIL_SIP_MAX_HEADER_SIZE)
            return fail (self, error, HAIL_SIP_ERROR_TOO_LARGE,
                         "The header section is longer than %d bytes",
                         HAIL_SIP_MAX_HEADER_SIZE);
          self->scanned = limit >= 3 ? limit - 3 : 0;
          return incomplete (error);
        }

      if (!read_content_length (self, p, end, &self->body_len, error))
        return FALSE;
      if (self->body_len > HAIL_SIP_MAX_MESSAGE_SIZE - end)
        return fail (self, error, HAIL_SIP_ERROR_TOO_LARGE,
                     "A message of more than %d bytes", HAIL_SIP_MAX_MESSAGE_SIZE);
      self->header_len = end;
    }

  if (avail - self->header_len < self->body_len)
    return incomplete (error);

  *message = g_bytes_new (p, self->header_len + self->body_len);
  *kind = HAIL_SIP_FRAME_MESSAGE;
  consume (self, self->header_len + self->body_len);
  self->header_len = 0;
  self->body_len = 0;
  self->scanned = 0;
  return TRUE;
}
