/* hail-sip-span.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-span.h"

#include "hail-sip-private.h"

#include <string.h>

/* Generated from the RFC 3261 §25 grammar: bit n is HAIL_SIP_C_* (1 << n). */
const guint16 _hail_sip_charset[256] = {
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0008, 0x0008, 0x0000, 0x0000, 0x0008, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0008, 0x0af1, 0x0200, 0x1800, 0x08f0, 0x0a01, 0x0870, 0x0af1,
  0x1af0, 0x1af0, 0x1af1, 0x1ef1, 0x0830, 0x1ff1, 0x1ff1, 0x0ad0,
  0x1ff7, 0x1ff7, 0x1ff7, 0x1ff7, 0x1ff7, 0x1ff7, 0x1ff7, 0x1ff7,
  0x1ff7, 0x1ff7, 0x0ac0, 0x0810, 0x0200, 0x0830, 0x0200, 0x0a90,
  0x0800, 0x1ff5, 0x1ff5, 0x1ff5, 0x1ff5, 0x1ff5, 0x1ff5, 0x0ff1,
  0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1,
  0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1,
  0x0ff1, 0x0ff1, 0x0ff1, 0x0ac0, 0x0a00, 0x0ac0, 0x0800, 0x0af1,
  0x0a01, 0x1ff5, 0x1ff5, 0x1ff5, 0x1ff5, 0x1ff5, 0x1ff5, 0x0ff1,
  0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1,
  0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1, 0x0ff1,
  0x0ff1, 0x0ff1, 0x0ff1, 0x0a00, 0x0800, 0x0a00, 0x0af1, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
  0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000, 0x0000,
};

/* Scans a quoted-string starting at its opening quote; returns the position
 * after the closing quote, or NULL when the string does not end before @end
 * (RFC 4475 quotbal: the scanner must stop there). */
const char *
_hail_sip_scan_quoted (const char *p,
                       const char *end)
{
  g_assert (p < end && *p == '"');

  for (p++; p < end; p++)
    {
      if (*p == '"')
        return p + 1;
      if (*p == '\\')
        {
          /* quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F) */
          p++;
          if (p >= end || *p == '\r' || *p == '\n' || (guint8) *p > 0x7f)
            return NULL;
        }
    }
  return NULL;
}

/* 1*DIGIT with an overflow check: leading zeros are fine (RFC 4475 wsinv),
 * values above 2^32-1 are not (scalar02). */
gboolean
_hail_sip_parse_uint32 (const char *p,
                        const char *end,
                        guint32    *value)
{
  guint64 v = 0;

  if (p >= end)
    return FALSE;
  /* Nine digits cannot overflow: the common case skips the checks. */
  if (end - p <= 9)
    {
      guint32 w = 0;

      for (; p < end; p++)
        {
          guint d = (guint) (guint8) *p - '0';

          if (d > 9)
            return FALSE;
          w = w * 10 + d;
        }
      *value = w;
      return TRUE;
    }
  for (; p < end; p++)
    {
      if (!_hail_sip_is (*p, HAIL_SIP_C_DIGIT))
        return FALSE;
      v = v * 10 + (guint) (*p - '0');
      if (v > G_MAXUINT32)
        return FALSE;
    }
  *value = (guint32) v;
  return TRUE;
}

/**
 * hail_sip_span_equal:
 * @a: a span
 * @b: another span
 *
 * Returns: whether both hold the same bytes (case-sensitive)
 */
gboolean
hail_sip_span_equal (HailSipSpan a,
                     HailSipSpan b)
{
  return a.len == b.len && (a.len == 0 || memcmp (a.ptr, b.ptr, a.len) == 0);
}

/**
 * hail_sip_span_equal_str:
 * @span: a span
 * @str: a NUL-terminated string
 *
 * Returns: whether @span is present and holds exactly @str
 */
gboolean
hail_sip_span_equal_str (HailSipSpan  span,
                         const char  *str)
{
  g_return_val_if_fail (str != NULL, FALSE);

  return span.ptr != NULL && strlen (str) == span.len && memcmp (span.ptr, str, span.len) == 0;
}

/**
 * hail_sip_span_equal_ascii_case:
 * @span: a span
 * @str: a NUL-terminated string
 *
 * Returns: whether @span is present and equals @str ignoring ASCII case
 */
gboolean
hail_sip_span_equal_ascii_case (HailSipSpan  span,
                                const char  *str)
{
  g_return_val_if_fail (str != NULL, FALSE);

  return span.ptr != NULL && strlen (str) == span.len
         && _hail_sip_ascii_caseeq (span.ptr, str, span.len);
}

/**
 * hail_sip_span_dup:
 * @span: a span
 *
 * Returns: (transfer full) (nullable): a NUL-terminated copy, or %NULL when
 *   @span is absent. Embedded NULs are copied too.
 */
char *
hail_sip_span_dup (HailSipSpan span)
{
  char *s;

  if (span.ptr == NULL)
    return NULL;
  s = g_malloc (span.len + 1);
  memcpy (s, span.ptr, span.len);
  s[span.len] = '\0';
  return s;
}

/**
 * hail_sip_span_to_uint32:
 * @span: a span of digits
 * @value: (out): the number
 *
 * Returns: whether @span is 1*DIGIT and fits in 32 bits
 */
gboolean
hail_sip_span_to_uint32 (HailSipSpan  span,
                         guint32     *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (span.ptr == NULL)
    return FALSE;
  return _hail_sip_parse_uint32 (span.ptr, span.ptr + span.len, value);
}

/**
 * hail_sip_unquote:
 * @span: a quoted-string with its quotes, or a plain token
 * @len: (out) (optional): length of the result, which may contain NULs
 *
 * Removes the quotes and resolves quoted-pairs (`\"` becomes `"`).
 *
 * Returns: (transfer full) (nullable): the text, NUL-terminated, or %NULL
 *   when @span is absent
 */
char *
hail_sip_unquote (HailSipSpan  span,
                  gsize       *len)
{
  const char *p = span.ptr;
  const char *end = span.ptr + span.len;
  char *out;
  gsize n = 0;

  if (span.ptr == NULL)
    return NULL;
  if (span.len >= 2 && p[0] == '"' && end[-1] == '"')
    {
      p++;
      end--;
    }
  out = g_malloc (span.len + 1);
  for (; p < end; p++)
    {
      if (*p == '\\' && p + 1 < end)
        p++;
      out[n++] = *p;
    }
  out[n] = '\0';
  if (len != NULL)
    *len = n;
  return out;
}
