/* hail-msrp-parser.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stream framing for MSRP. Bytes collect in one buffer; the scan state
 * remembers how far the end-line search got, so a 1 MiB chunk arriving in
 * small reads costs one pass, not one per read.
 */
#include "config.h"

#include "hail-msrp-parser.h"

#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-private.h"
#include "hail-sip-error.h"

struct _HailMsrpParser
{
  GObject parent_instance;

  /* Owned: bytes [start, buffer->len) are not consumed yet. */
  GByteArray   *buffer;
  GError       *error;      /* Set once the stream is broken. */

  /* State. */
  gsize         start;
  HailMsrpScan  scan;       /* Of the frame at start. */
};

G_DEFINE_FINAL_TYPE (HailMsrpParser, hail_msrp_parser, G_TYPE_OBJECT)

static void
hail_msrp_parser_finalize (GObject *object)
{
  HailMsrpParser *self = (HailMsrpParser *)object;

  g_clear_pointer (&self->buffer, g_byte_array_unref);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (hail_msrp_parser_parent_class)->finalize (object);
}

static void
hail_msrp_parser_class_init (HailMsrpParserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = hail_msrp_parser_finalize;
}

static void
hail_msrp_parser_init (HailMsrpParser *self)
{
  self->buffer = g_byte_array_new ();
}

HailMsrpParser *
hail_msrp_parser_new (void)
{
  return g_object_new (HAIL_TYPE_MSRP_PARSER, NULL);
}

gsize
hail_msrp_parser_get_buffered (HailMsrpParser *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_PARSER (self), 0);

  return self->buffer->len - self->start;
}

gsize
hail_msrp_parser_get_space (HailMsrpParser *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_PARSER (self), 0);

  if (self->error != NULL)
    return 0;
  return HAIL_MSRP_MAX_FRAME_SIZE - hail_msrp_parser_get_buffered (self);
}

gboolean
hail_msrp_parser_push (HailMsrpParser  *self,
                       const guint8    *data,
                       gsize            len,
                       GError         **error)
{
  g_return_val_if_fail (HAIL_IS_MSRP_PARSER (self), FALSE);
  g_return_val_if_fail (data != NULL || len == 0, FALSE);

  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return FALSE;
    }
  if (len > hail_msrp_parser_get_space (self))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "More than %d MSRP bytes without a whole message", HAIL_MSRP_MAX_FRAME_SIZE);
      return FALSE;
    }
  /* Drop consumed bytes before growing, so the buffer stays bounded. */
  if (self->start > 0 && self->start >= self->buffer->len / 2)
    {
      g_byte_array_remove_range (self->buffer, 0, self->start);
      self->start = 0;
    }
  g_byte_array_append (self->buffer, data, len);
  return TRUE;
}

HailMsrpMessage *
hail_msrp_parser_next (HailMsrpParser  *self,
                       GBytes         **bad_frame,
                       GError         **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GBytes) frame = NULL;
  HailMsrpMessage *message;
  gsize avail;
  gsize frame_len = 0;

  g_return_val_if_fail (HAIL_IS_MSRP_PARSER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (bad_frame != NULL)
    *bad_frame = NULL;
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return NULL;
    }
  avail = self->buffer->len - self->start;
  if (avail == 0)
    {
      g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE,
                           "The MSRP message is incomplete");
      return NULL;
    }
  if (!_hail_msrp_frame_measure (self->buffer->data + self->start, avail, &self->scan,
                                 &frame_len, &local))
    {
      if (!g_error_matches (local, HAIL_SIP_ERROR, HAIL_SIP_ERROR_INCOMPLETE))
        self->error = g_error_copy (local);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }

  frame = g_bytes_new (self->buffer->data + self->start, frame_len);
  self->start += frame_len;
  memset (&self->scan, 0, sizeof self->scan);
  if (self->start == self->buffer->len)
    {
      g_byte_array_set_size (self->buffer, 0);
      self->start = 0;
    }
  message = hail_msrp_message_parse (frame, &local);
  if (message == NULL)
    {
      /* The frame was cut where its own end-line said, so the stream goes
       * on: the caller may answer 400 and carry on. */
      if (bad_frame != NULL)
        *bad_frame = g_steal_pointer (&frame);
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  return message;
}

gboolean
hail_msrp_parser_is_broken (HailMsrpParser *self)
{
  g_return_val_if_fail (HAIL_IS_MSRP_PARSER (self), TRUE);

  return self->error != NULL;
}
