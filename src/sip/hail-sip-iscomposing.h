/* hail-sip-iscomposing.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HAIL_SIP_ISCOMPOSING_CONTENT_TYPE "application/im-iscomposing+xml"
/* Largest status document accepted, and deepest XML nesting. */
#define HAIL_SIP_ISCOMPOSING_MAX_SIZE  4096
#define HAIL_SIP_XML_MAX_DEPTH         8
/* RFC 3994 §3.2: refresh an active state every 120 s (the default when
 * the document gives none); idle after 15 s without typing. A peer's
 * refresh below 60 s is not honoured (§4). */
#define HAIL_SIP_ISCOMPOSING_REFRESH_S      120
#define HAIL_SIP_ISCOMPOSING_IDLE_S         15
#define HAIL_SIP_ISCOMPOSING_MIN_REFRESH_S  60

/**
 * HailSipIsComposing:
 * @active: the state is `active` (else `idle`)
 * @refresh: seconds until an active state lapses (0: the default)
 * @content_type: what is being composed, or %NULL
 * @last_active: the `lastactive` timestamp as written, or %NULL
 *
 * A status message of RFC 3994 §5.
 */
typedef struct {
  gboolean  active;
  guint     refresh;
  char     *content_type;
  char     *last_active;
} HailSipIsComposing;

/* Parses an application/im-iscomposing+xml document; HAIL_SIP_ERROR_MALFORMED
 * or _TOO_LARGE. */
HailSipIsComposing *hail_sip_iscomposing_parse (const char          *data,
                                                gsize                len,
                                                GError             **error)
                                                G_GNUC_WARN_UNUSED_RESULT;
void                hail_sip_iscomposing_free  (HailSipIsComposing  *self);
/* Writes a status document; @refresh 0 leaves it out. */
GBytes             *hail_sip_iscomposing_write (gboolean             active,
                                                guint                refresh)
                                                G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HailSipIsComposing, hail_sip_iscomposing_free)

G_END_DECLS
