/* hail-sip-log.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "hail-sip-log.h"

#include "hail-sip-digest.h"

#include <string.h>

/* Appends @len bytes, escaping what a terminal or log viewer would
 * interpret: C0 and C1 controls (but TAB and line ends), DEL, invalid UTF-8. */
static void
append_escaped (GString    *out,
                const char *s,
                gsize       len)
{
  gsize i = 0;

  while (i < len)
    {
      guchar c = (guchar) s[i];

      if (c == '\n' || c == '\t' || (c == '\r' && i + 1 < len && s[i + 1] == '\n'))
        {
          g_string_append_c (out, c);
          i++;
        }
      else if (c < 0x20 || c == 0x7f)
        {
          g_string_append_printf (out, "\\x%02x", c);
          i++;
        }
      else if (c < 0x80)
        {
          g_string_append_c (out, c);
          i++;
        }
      else
        {
          gunichar ch = g_utf8_get_char_validated (s + i, (gssize) MIN (len - i, 6));
          gsize n;

          if (ch == (gunichar) -1 || ch == (gunichar) -2 || (ch >= 0x80 && ch < 0xa0))
            {
              g_string_append_printf (out, "\\x%02x", c);
              i++;
              continue;
            }
          n = (gsize) (g_utf8_next_char (s + i) - (s + i));
          g_string_append_len (out, s + i, n);
          i += n;
        }
    }
}

static void
append_quoted_param (GString    *out,
                     const char *name,
                     const char *value)
{
  g_autoptr(GString) quoted = g_string_new (NULL);

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_printf (out, "%s=\"", name);
  append_escaped (out, quoted->str, quoted->len);
  g_string_append_c (out, '"');
}

/* If the line at @line (@len bytes) is an Authorization or
 * Proxy-Authorization header, returns the offset just past its colon.
 * RFC 3261 §7.3.1: names are case-insensitive, HCOLON allows blanks. */
static gsize
credentials_header_colon (const char *line,
                          gsize       len)
{
  static const char *names[] = { "Authorization", "Proxy-Authorization" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      gsize n = strlen (names[i]);
      gsize pos = n;

      if (len <= n || g_ascii_strncasecmp (line, names[i], n) != 0)
        continue;
      while (pos < len && (line[pos] == ' ' || line[pos] == '\t'))
        pos++;
      if (pos < len && line[pos] == ':')
        return pos + 1;
    }
  return 0;
}

/* Writes the redacted form of one credentials value (folding removed). */
static void
append_redacted_value (GString    *out,
                       const char *value,
                       gsize       len)
{
  g_autoptr(GString) unfolded = g_string_sized_new (len);
  g_autoptr(HailSipDigestCredentials) credentials = NULL;
  gsize scheme_len = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (value[i] != '\r' && value[i] != '\n')
        g_string_append_c (unfolded, value[i]);
    }
  g_strstrip (unfolded->str);
  unfolded->len = strlen (unfolded->str);

  credentials = hail_sip_digest_parse_credentials (unfolded->str, unfolded->len, NULL);
  if (credentials != NULL && credentials->is_digest)
    {
      append_escaped (out, credentials->scheme, strlen (credentials->scheme));
      g_string_append_c (out, ' ');
      append_quoted_param (out, "username", credentials->username);
      g_string_append (out, ", ");
      append_quoted_param (out, "realm", credentials->realm);
      g_string_append (out, ", ");
      append_quoted_param (out, "uri", credentials->uri);
      g_string_append (out, ", [credentials redacted]");
      return;
    }

  /* Not Digest, or not readable: keep only the scheme. */
  while (scheme_len < unfolded->len && scheme_len < HAIL_SIP_DIGEST_MAX_NAME_LEN &&
         (g_ascii_isalnum (unfolded->str[scheme_len]) || unfolded->str[scheme_len] == '-'))
    scheme_len++;
  if (scheme_len > 0)
    {
      g_string_append_len (out, unfolded->str, scheme_len);
      g_string_append_c (out, ' ');
    }
  g_string_append (out, "[credentials redacted]");
}

static gsize
next_line (const char *msg,
           gsize       pos,
           gsize       len)
{
  const char *eol = memchr (msg + pos, '\n', len - pos);

  return eol != NULL ? (gsize) (eol - msg) + 1 : len;
}

char *
hail_sip_log_redact (const char *msg,
                     gsize       len)
{
  g_autoptr(GString) out = NULL;
  gsize shown;
  gsize pos = 0;

  g_return_val_if_fail (msg != NULL || len == 0, NULL);

  shown = MIN (len, HAIL_SIP_LOG_MAX_LEN);
  out = g_string_sized_new (shown + 64);
  /* Header or body: any line that looks like a credentials header is
   * redacted, so a message/sipfrag body cannot leak one either. */
  while (pos < shown)
    {
      gsize end = next_line (msg, pos, shown);
      gsize colon = credentials_header_colon (msg + pos, end - pos);
      gsize value_end;

      if (colon == 0)
        {
          append_escaped (out, msg + pos, end - pos);
          pos = end;
          continue;
        }
      /* RFC 3261 §7.3.1: a line starting with a blank continues the header. */
      while (end < shown && (msg[end] == ' ' || msg[end] == '\t'))
        end = next_line (msg, end, shown);
      value_end = end;
      if (value_end > pos && msg[value_end - 1] == '\n')
        value_end--;
      if (value_end > pos && msg[value_end - 1] == '\r')
        value_end--;
      append_escaped (out, msg + pos, colon);
      g_string_append_c (out, ' ');
      append_redacted_value (out, msg + pos + colon, value_end - pos - colon);
      append_escaped (out, msg + value_end, end - value_end);
      pos = end;
    }
  if (len > shown)
    g_string_append_printf (out, "\n[%" G_GSIZE_FORMAT " more bytes not shown]", len - shown);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

void
hail_sip_log_message (gboolean    outgoing,
                      const char *transport,
                      const char *peer,
                      const char *msg,
                      gsize       len)
{
  g_autofree char *text = NULL;

  g_return_if_fail (transport != NULL);
  g_return_if_fail (peer != NULL);
  g_return_if_fail (msg != NULL || len == 0);

  /* Redacting costs a copy of every message: skip it when nobody listens. */
  if (g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    return;
  text = hail_sip_log_redact (msg, len);
  g_debug ("%s %" G_GSIZE_FORMAT " bytes %s %s %s\n%s", outgoing ? "Sent" : "Received", len,
           outgoing ? "to" : "from", transport, peer, text);
}
