/* hail-sip-framer.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "hail-sip-transport-types.h"

G_BEGIN_DECLS

/**
 * HailSipFrameKind:
 * @HAIL_SIP_FRAME_MESSAGE: a whole SIP message, header section and body
 * @HAIL_SIP_FRAME_PING: a CRLFCRLF keep-alive (RFC 5626 §4.4.1); the server
 *   side of the flow answers it with a CRLF
 * @HAIL_SIP_FRAME_PONG: a single CRLF, the answer to a ping
 */
typedef enum {
  HAIL_SIP_FRAME_MESSAGE,
  HAIL_SIP_FRAME_PING,
  HAIL_SIP_FRAME_PONG,
} HailSipFrameKind;

#define HAIL_TYPE_SIP_FRAMER (hail_sip_framer_get_type ())
G_DECLARE_FINAL_TYPE (HailSipFramer, hail_sip_framer, HAIL, SIP_FRAMER, GObject)

/* A framer for one TCP or TLS byte stream. */
HailSipFramer *hail_sip_framer_new          (void) G_GNUC_WARN_UNUSED_RESULT;

/* How many bytes hail_sip_framer_push() accepts now; never 0 once every
 * frame has been taken with hail_sip_framer_next() and it did not fail. */
gsize          hail_sip_framer_get_space    (HailSipFramer   *self);

/* Bytes buffered that are not a whole frame yet. */
gsize          hail_sip_framer_get_buffered (HailSipFramer   *self);

/* Appends stream bytes; fails with HAIL_SIP_ERROR_TOO_LARGE beyond the space
 * left, or with the framer's earlier error once it is broken. */
gboolean       hail_sip_framer_push         (HailSipFramer   *self,
                                             const guint8    *data,
                                             gsize            len,
                                             GError         **error);

/* Cuts the next frame. Returns TRUE with its kind (and for a message the
 * message, owned by the caller); or FALSE with HAIL_SIP_ERROR_INCOMPLETE
 * (push more bytes), or with MALFORMED or TOO_LARGE: the stream is broken,
 * the framer keeps failing and the flow must be closed. */
gboolean       hail_sip_framer_next         (HailSipFramer    *self,
                                             HailSipFrameKind *kind,
                                             GBytes          **message,
                                             GError          **error);

G_END_DECLS
