/* hail-msrp-message-frame.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where an MSRP frame ends (RFC 4975 §7.1): at "-------" + its own
 * transaction id + a flag, after a CRLF when there is a body. The scan can
 * resume where it stopped, so bytes arriving in small reads are searched
 * once; it must judge a split buffer exactly as the whole one (the fuzz
 * target compares both).
 */
#include "config.h"

#include <string.h>

#include "hail-msrp-limits.h"
#include "hail-msrp-private.h"
#include "hail-sip-error.h"

#define HYPHENS     HAIL_MSRP_END_HYPHENS
#define HYPHENS_LEN HAIL_MSRP_END_HYPHENS_LEN

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      int          code,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HAIL_SIP_ERROR, code, message);
  return FALSE;
}

static gboolean
is_ident_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '-' || c == '+' || c == '%' || c == '=';
}

static gboolean
is_flag (char c)
{
  return c == '$' || c == '+' || c == '#';
}

gboolean
_hail_msrp_is_ident (const char *str,
                     gsize       len)
{
  if (len < HAIL_MSRP_TRANSACTION_ID_MIN || len > HAIL_MSRP_TRANSACTION_ID_MAX)
    return FALSE;
  if (!g_ascii_isalnum (str[0]))
    return FALSE;
  for (gsize i = 1; i < len; i++)
    if (!is_ident_char (str[i]))
      return FALSE;
  return TRUE;
}

gboolean
_hail_msrp_body_has_end_line (const guint8 *body,
                              gsize         body_len,
                              const char   *tid,
                              gsize         tid_len)
{
  const guint8 *p = body;
  const guint8 *end = body + body_len;
  gsize need = HYPHENS_LEN + tid_len + 1;

  while ((gsize) (end - p) >= need)
    {
      const guint8 *dash = memchr (p, '-', end - p - need + 1);

      if (dash == NULL)
        return FALSE;
      if (memcmp (dash, HYPHENS, HYPHENS_LEN) == 0 &&
          memcmp (dash + HYPHENS_LEN, tid, tid_len) == 0 &&
          is_flag ((char) dash[HYPHENS_LEN + tid_len]))
        return TRUE;
      p = dash + 1;
    }
  return FALSE;
}

/* Looks for the end-line of a frame with a body, from scan->search_from. */
static gboolean
find_body_end (const char    *p,
               gsize          len,
               HailMsrpScan  *scan,
               gsize         *frame_len,
               GError       **error)
{
  char pattern[2 + HYPHENS_LEN + HAIL_MSRP_TRANSACTION_ID_MAX];
  gsize plen = 2 + HYPHENS_LEN + scan->tid_len;
  gsize i = MAX (scan->search_from, scan->body_start);

  memcpy (pattern, "\r\n" HYPHENS, 2 + HYPHENS_LEN);
  memcpy (pattern + 2 + HYPHENS_LEN, p + 5, scan->tid_len);

  while (i < len)
    {
      const char *cr = memchr (p + i, '\r', len - i);
      gsize avail;

      if (cr == NULL)
        {
          i = len;
          break;
        }
      i = cr - p;
      avail = len - i;
      if (avail < plen + 3)
        {
          /* The stream ends inside what may be the end-line: wait here,
           * and judge its CRLF once it is all there, as a whole buffer
           * would be judged. */
          if (memcmp (p + i, pattern, MIN (avail, plen)) == 0 &&
              (avail <= plen || is_flag (p[i + plen])))
            break;
        }
      else if (memcmp (p + i, pattern, plen) == 0 && is_flag (p[i + plen]))
        {
          if (p[i + plen + 1] != '\r' || p[i + plen + 2] != '\n')
            return fail (error, HAIL_SIP_ERROR_MALFORMED,
                         "MSRP end-line of transaction %.*s not followed by CRLF",
                         (int) scan->tid_len, p + 5);
          *frame_len = i + plen + 3;
          return TRUE;
        }
      i++;
    }

  scan->search_from = i;
  if (len - scan->body_start > HAIL_MSRP_MAX_CHUNK_SIZE + plen + 3)
    return fail (error, HAIL_SIP_ERROR_TOO_LARGE,
                 "MSRP body of more than %d bytes without the end-line of transaction %.*s",
                 HAIL_MSRP_MAX_CHUNK_SIZE, (int) scan->tid_len, p + 5);
  return fail (error, HAIL_SIP_ERROR_INCOMPLETE, "The MSRP message is incomplete");
}

gboolean
_hail_msrp_frame_measure (const guint8  *data,
                          gsize          len,
                          HailMsrpScan  *scan,
                          gsize         *frame_len,
                          GError       **error)
{
  const char *p = (const char *) data;
  gsize line;

  if (scan->tid_len == 0)
    {
      gsize i = 5;

      if (memcmp (p, "MSRP ", MIN (len, 5)) != 0)
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "Not an MSRP message: no \"MSRP \" start");
      while (i < len && i - 5 <= HAIL_MSRP_TRANSACTION_ID_MAX && is_ident_char (p[i]))
        i++;
      if (i >= len && i - 5 <= HAIL_MSRP_TRANSACTION_ID_MAX)
        return fail (error, HAIL_SIP_ERROR_INCOMPLETE, "The MSRP start line is incomplete");
      if (i >= len || p[i] != ' ' || !_hail_msrp_is_ident (p + 5, i - 5))
        return fail (error, HAIL_SIP_ERROR_MALFORMED,
                     "Invalid MSRP transaction id (4 to 32 letters, digits or .-+%%=)");
      scan->tid_len = i - 5;
    }

  if (scan->body_start != 0)
    return find_body_end (p, len, scan, frame_len, error);

  /* Walk the lines of the header section up to its blank line, or up to
   * the end-line of a message without a body. */
  line = 0;
  for (;;)
    {
      gsize limit = MIN (len, HAIL_MSRP_MAX_HEADER_SIZE);
      const char *lf = line < limit ? memchr (p + line, '\n', limit - line) : NULL;
      gsize eol;
      gsize content;

      if (lf == NULL)
        {
          if (len >= HAIL_MSRP_MAX_HEADER_SIZE)
            return fail (error, HAIL_SIP_ERROR_TOO_LARGE,
                         "MSRP header section longer than %d bytes", HAIL_MSRP_MAX_HEADER_SIZE);
          return fail (error, HAIL_SIP_ERROR_INCOMPLETE, "The MSRP header section is incomplete");
        }
      eol = lf - p;
      if (eol == line || p[eol - 1] != '\r')
        return fail (error, HAIL_SIP_ERROR_MALFORMED, "MSRP line not ended by CRLF");
      content = eol - 1 - line;
      if (line > 0 && content == 0)
        {
          scan->body_start = eol + 1;
          scan->search_from = eol + 1;
          return find_body_end (p, len, scan, frame_len, error);
        }
      if (line > 0 && p[line] == '-')
        {
          /* Header names start with a letter: this must be our end-line. */
          if (content != HYPHENS_LEN + scan->tid_len + 1 ||
              memcmp (p + line, HYPHENS, HYPHENS_LEN) != 0 ||
              memcmp (p + line + HYPHENS_LEN, p + 5, scan->tid_len) != 0 ||
              !is_flag (p[eol - 2]))
            return fail (error, HAIL_SIP_ERROR_MALFORMED,
                         "Bad MSRP end-line: expected \"-------%.*s\" and $, + or #",
                         (int) scan->tid_len, p + 5);
          *frame_len = eol + 1;
          return TRUE;
        }
      line = eol + 1;
    }
}
