/* hail-msrp-parser.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-msrp-message.h"

G_BEGIN_DECLS

#define HAIL_TYPE_MSRP_PARSER (hail_msrp_parser_get_type ())
G_DECLARE_FINAL_TYPE (HailMsrpParser, hail_msrp_parser, HAIL, MSRP_PARSER, GObject)

/* Cuts one MSRP byte stream (a TCP or TLS connection) into messages. It
 * holds at most HAIL_MSRP_MAX_FRAME_SIZE bytes, and never searches a byte
 * for the end-line twice. */
HailMsrpParser  *hail_msrp_parser_new          (void) G_GNUC_WARN_UNUSED_RESULT;

/* How many bytes hail_msrp_parser_push() accepts now; never 0 while the
 * parser has not failed and every message was taken. */
gsize            hail_msrp_parser_get_space    (HailMsrpParser  *self);
/* Bytes held that are not a whole message yet. */
gsize            hail_msrp_parser_get_buffered (HailMsrpParser  *self);

/* Appends stream bytes: HAIL_SIP_ERROR_TOO_LARGE beyond the space left, or
 * the parser's earlier error once it failed. */
gboolean         hail_msrp_parser_push         (HailMsrpParser  *self,
                                                const guint8    *data,
                                                gsize            len,
                                                GError         **error);

/* The next whole message, or NULL with HAIL_SIP_ERROR_INCOMPLETE (push
 * more), or with MALFORMED or TOO_LARGE. When the frame could still be cut
 * at its own end-line, only that frame is lost: @frame (optional) gets its
 * bytes and the stream goes on. Otherwise the stream cannot be
 * resynchronised (RFC 4975 has no other way to find the next frame): the
 * parser is broken, keeps failing, and the connection must be closed. */
HailMsrpMessage *hail_msrp_parser_next         (HailMsrpParser  *self,
                                                GBytes         **frame,
                                                GError         **error)
                                                G_GNUC_WARN_UNUSED_RESULT;
gboolean         hail_msrp_parser_is_broken    (HailMsrpParser  *self);

G_END_DECLS
