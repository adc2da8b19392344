/* hail-msrp-private.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the MSRP files of src/sip and their white-box tests share; nothing
 * outside src/sip includes it.
 */
#pragma once

#include "hail-msrp-message.h"

G_BEGIN_DECLS

/* The seven hyphens that open an end-line. */
#define HAIL_MSRP_END_HYPHENS     "-------"
#define HAIL_MSRP_END_HYPHENS_LEN 7

/* Where a stream scan for one frame stands, so that bytes already searched
 * are not searched again when more arrive. Offsets count from the frame's
 * first byte; zero it before each frame. */
typedef struct {
  gsize body_start;    /* After the blank line; 0 while unknown. */
  gsize search_from;   /* The end-line cannot start before this. */
  gsize tid_len;       /* Once the start line is complete. */
} HailMsrpScan;

/* Finds the length of the frame at the start of @data: TRUE with
 * @frame_len; FALSE with HAIL_SIP_ERROR_INCOMPLETE, MALFORMED or TOO_LARGE.
 * Only framing is checked here; hail_msrp_message_parse() checks the rest. */
gboolean _hail_msrp_frame_measure (const guint8  *data,
                                   gsize          len,
                                   HailMsrpScan  *scan,
                                   gsize         *frame_len,
                                   GError       **error);

/* RFC 4975 §9 ident: ALPHANUM followed by 3 to 31 of ALPHANUM . - + % =. */
gboolean _hail_msrp_is_ident      (const char    *str,
                                   gsize          len);

/* Whether @body holds "-------" @tid followed by a continuation flag, which
 * RFC 4975 §7.1 forbids a sender to put in a body. */
gboolean _hail_msrp_body_has_end_line (const guint8 *body,
                                       gsize         body_len,
                                       const char   *tid,
                                       gsize         tid_len);

G_END_DECLS
