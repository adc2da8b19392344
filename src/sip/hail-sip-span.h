/* hail-sip-span.h
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * HailSipSpan:
 * @ptr: first byte, or %NULL when the item is absent
 * @len: number of bytes
 *
 * A view into a buffer owned by someone else (a #HailSipMessage, a string),
 * after libre's `pl`. It is valid only while that owner lives, and is not
 * NUL-terminated: it may contain NUL bytes (from a quoted-pair). An absent
 * item has @ptr %NULL; a present but empty one has @ptr set and @len 0.
 */
typedef struct {
  const char *ptr;
  gsize       len;
} HailSipSpan;

#define HAIL_SIP_SPAN_NONE ((HailSipSpan) { NULL, 0 })

/* Whether the span is present (it may still be empty). */
static inline gboolean
hail_sip_span_present (HailSipSpan span)
{
  return span.ptr != NULL;
}

gboolean  hail_sip_span_equal        (HailSipSpan  a,
                                      HailSipSpan  b);
gboolean  hail_sip_span_equal_str    (HailSipSpan  span,
                                      const char  *str);
gboolean  hail_sip_span_equal_ascii_case (HailSipSpan  span,
                                          const char  *str);
char     *hail_sip_span_dup          (HailSipSpan  span) G_GNUC_WARN_UNUSED_RESULT;
gboolean  hail_sip_span_to_uint32    (HailSipSpan  span,
                                      guint32     *value);
char     *hail_sip_unquote           (HailSipSpan  span,
                                      gsize       *len) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
