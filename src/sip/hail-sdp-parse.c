/* hail-sdp-parse.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SDP parser (RFC 8866 §5, §9): strict about structure (v= o= s= first,
 * no repeated single-valued line, t= before the media), tolerant of the
 * order of the other lines (real peers put c= after t= and the like), of
 * LF-only line ends and a missing final line end. Every length comes from
 * the input's bounds; nothing reads past data + len.
 */
#include "config.h"

#include "hail-sdp-session.h"
#include "hail-sdp-private.h"
#include "hail-sip-error.h"

#include <gio/gio.h>
#include <string.h>

/* Line types allowed at session level after v= o= s=, and those of them
 * that may appear only once (RFC 8866 §5). */
static const char session_types[] = "iuepcbtrzka";
static const char session_single[] = "iuczk";
/* ... and within a media description (c= repeats for multicast). */
static const char media_types[] = "icbka";
static const char media_single[] = "ik";

typedef struct {
  const char *data;
  gsize       len;
  gsize       pos;
  guint       lineno;
  /* The current line: type letter and value span (not NUL-terminated). */
  char        type;
  const char *value;
  gsize       value_len;
} Reader;

static gboolean G_GNUC_PRINTF (3, 4)
fail (const Reader  *r,
      GError       **error,
      const char    *format,
      ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
               "SDP line %u (%c=): %s", r->lineno, r->type, msg);
  return FALSE;
}

static gboolean
too_many (const Reader  *r,
          const char    *what,
          guint          limit,
          GError       **error)
{
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
               "SDP line %u (%c=): more than %u %s", r->lineno, r->type, limit, what);
  return FALSE;
}

/* Whether only empty lines remain: some stacks end the body with an extra
 * CRLF, which is harmless. */
static gboolean
only_blank_left (const Reader *r)
{
  for (gsize i = r->pos; i < r->len; i++)
    if (r->data[i] != '\r' && r->data[i] != '\n')
      return FALSE;
  return TRUE;
}

/* Moves to the next line. Returns FALSE with no error at the end. */
static gboolean
next_line (Reader  *r,
           GError **error)
{
  const char *start;
  const char *nl;
  gsize line_len;
  gsize next;

  if (r->pos >= r->len || only_blank_left (r))
    return FALSE;

  start = r->data + r->pos;
  nl = memchr (start, '\n', r->len - r->pos);
  line_len = nl != NULL ? (gsize) (nl - start) : r->len - r->pos;
  next = r->pos + line_len + (nl != NULL ? 1 : 0);
  if (line_len > 0 && start[line_len - 1] == '\r')
    line_len--;

  r->lineno++;
  r->type = '?';
  if (line_len > HAIL_SDP_MAX_LINE)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "SDP line %u: longer than %u bytes", r->lineno, HAIL_SDP_MAX_LINE);
      return FALSE;
    }
  if (line_len < 2 || start[1] != '=' || !g_ascii_islower (start[0]))
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "SDP line %u: not of the form <type>=<value>", r->lineno);
      return FALSE;
    }
  r->type = start[0];
  r->value = start + 2;
  r->value_len = line_len - 2;
  r->pos = next;
  for (gsize i = 0; i < r->value_len; i++)
    if (r->value[i] == '\0' || r->value[i] == '\r')
      return fail (r, error, "NUL or CR inside the line");
  return TRUE;
}

static char *
value_dup (const Reader *r)
{
  return g_strndup (r->value, r->value_len);
}

static gboolean
is_token_char (char c)
{
  return g_ascii_isalnum (c) || (c != '\0' && strchr ("!#$%&'*+-.^_`{|}~", c) != NULL);
}

static gboolean
is_token (const char *s)
{
  if (*s == '\0')
    return FALSE;
  for (; *s != '\0'; s++)
    if (!is_token_char (*s))
      return FALSE;
  return TRUE;
}

gboolean
_hail_sdp_read_uint (const char **p,
                     guint64      max,
                     guint64     *out)
{
  const char *s = *p;
  guint64 v = 0;

  if (!g_ascii_isdigit (*s))
    return FALSE;
  for (; g_ascii_isdigit (*s); s++)
    {
      if (v > (max - (guint64) (*s - '0')) / 10)
        return FALSE;
      v = v * 10 + (guint64) (*s - '0');
    }
  *p = s;
  *out = v;
  return TRUE;
}

gboolean
_hail_sdp_parse_uint (const char *s,
                      gsize       len,
                      guint64     max,
                      guint64    *out)
{
  guint64 v = 0;

  if (len == 0)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (s[i]) || v > (max - (guint64) (s[i] - '0')) / 10)
        return FALSE;
      v = v * 10 + (guint64) (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

gboolean
_hail_sdp_malformed (GError     **error,
                     const char  *format,
                     ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED, message);
  return FALSE;
}

gboolean
_hail_sdp_unsupported (GError     **error,
                       const char  *message)
{
  g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_UNSUPPORTED, message);
  return FALSE;
}

static gboolean
parse_number (const char *s,
              guint64     max,
              guint64    *out)
{
  return _hail_sdp_parse_uint (s, strlen (s), max, out);
}

/* Splits on runs of spaces; RFC 8866 says single spaces, but a doubled one
 * loses nothing and some stacks send it. */
static GStrv
split_fields (const Reader *r,
              guint         max_fields,
              guint        *n_fields)
{
  g_autofree char *value = value_dup (r);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  char *save = NULL;
  guint n = 0;

  for (char *tok = strtok_r (value, " ", &save); tok != NULL; tok = strtok_r (NULL, " ", &save))
    {
      if (++n > max_fields)
        break;
      g_strv_builder_add (builder, tok);
    }
  *n_fields = n;
  return g_strv_builder_end (builder);
}

static gboolean
parse_origin (const Reader   *r,
              HailSdpSession *self,
              GError        **error)
{
  guint n = 0;
  g_auto(GStrv) f = split_fields (r, 6, &n);

  if (n != 6)
    return fail (r, error, "expected 6 fields, not %u", n);
  if (!parse_number (f[1], G_MAXUINT64, &self->origin.sess_id))
    return fail (r, error, "session id is not a 64-bit number");
  if (!parse_number (f[2], G_MAXUINT64, &self->origin.sess_version))
    return fail (r, error, "session version is not a 64-bit number");
  if (!is_token (f[3]) || !is_token (f[4]))
    return fail (r, error, "bad network or address type");
  self->origin.username = g_strdup (f[0]);
  self->origin.nettype = g_strdup (f[3]);
  self->origin.addrtype = g_strdup (f[4]);
  self->origin.address = g_strdup (f[5]);
  return TRUE;
}

static gboolean
valid_address (const char *addrtype,
               const char *address)
{
  g_autoptr(GInetAddress) inet = NULL;
  gboolean numeric = TRUE;

  for (const char *p = address; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (".-:_%", *p) == NULL)
        return FALSE;
      if (!g_ascii_isdigit (*p) && *p != '.')
        numeric = FALSE;
    }
  if (*address == '\0')
    return FALSE;
  if (g_str_equal (addrtype, "IP6") && strchr (address, ':') != NULL)
    {
      inet = g_inet_address_new_from_string (address);
      return inet != NULL && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6;
    }
  if (g_str_equal (addrtype, "IP4") && numeric)
    {
      inet = g_inet_address_new_from_string (address);
      return inet != NULL && g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV4;
    }
  /* A fully qualified domain name (RFC 8866 §9 "FQDN"). */
  return strchr (address, ':') == NULL;
}

static gboolean
parse_connection (const Reader       *r,
                  HailSdpConnection **out,
                  GError            **error)
{
  guint n = 0;
  g_auto(GStrv) f = split_fields (r, 3, &n);
  g_auto(GStrv) parts = NULL;
  HailSdpConnection *conn;
  guint n_parts;
  guint64 ttl = 0, count = 1;

  if (n != 3)
    return fail (r, error, "expected 3 fields, not %u", n);
  if (!is_token (f[0]) || !is_token (f[1]))
    return fail (r, error, "bad network or address type");
  if (!g_str_equal (f[0], "IN"))
    return fail (r, error, "unknown network type \"%s\"", f[0]);
  if (!g_str_equal (f[1], "IP4") && !g_str_equal (f[1], "IP6"))
    return fail (r, error, "unknown address type \"%s\"", f[1]);

  parts = g_strsplit (f[2], "/", 4);
  n_parts = g_strv_length (parts);
  if (!valid_address (f[1], parts[0]))
    return fail (r, error, "bad %s address", f[1]);
  /* RFC 8866 §5.7: IP4 is addr[/ttl[/number]], IP6 is addr[/number]. */
  if (g_str_equal (f[1], "IP4"))
    {
      if (n_parts > 3)
        return fail (r, error, "too many \"/\" parts");
      if (n_parts >= 2 && (!parse_number (parts[1], 255, &ttl) || ttl == 0))
        return fail (r, error, "TTL is not in 1..255");
      if (n_parts == 3 && (!parse_number (parts[2], G_MAXUINT16, &count) || count == 0))
        return fail (r, error, "bad number of addresses");
    }
  else
    {
      if (n_parts > 2)
        return fail (r, error, "too many \"/\" parts");
      if (n_parts == 2 && (!parse_number (parts[1], G_MAXUINT16, &count) || count == 0))
        return fail (r, error, "bad number of addresses");
    }

  conn = g_new0 (HailSdpConnection, 1);
  conn->nettype = g_strdup (f[0]);
  conn->addrtype = g_strdup (f[1]);
  conn->address = g_strdup (parts[0]);
  conn->ttl = (guint) ttl;
  conn->n_addresses = (guint) count;
  *out = conn;
  return TRUE;
}

static gboolean
parse_bandwidth (const Reader  *r,
                 GPtrArray     *bandwidths,
                 GError       **error)
{
  g_autofree char *value = value_dup (r);
  char *colon = strchr (value, ':');
  guint64 v;

  if (bandwidths->len >= HAIL_SDP_MAX_REPEATED)
    return too_many (r, "b= lines", HAIL_SDP_MAX_REPEATED, error);
  if (colon == NULL)
    return fail (r, error, "expected <bwtype>:<bandwidth>");
  *colon = '\0';
  if (!is_token (value))
    return fail (r, error, "bad bandwidth type");
  if (!parse_number (colon + 1, G_MAXUINT64, &v))
    return fail (r, error, "bandwidth is not a number");
  g_ptr_array_add (bandwidths, _hail_sdp_bandwidth_new (value, v));
  return TRUE;
}

static gboolean
parse_time (const Reader   *r,
            HailSdpSession *self,
            GError        **error)
{
  guint n = 0;
  g_auto(GStrv) f = split_fields (r, 2, &n);
  guint64 start, stop;

  if (self->times->len >= HAIL_SDP_MAX_REPEATED)
    return too_many (r, "t= lines", HAIL_SDP_MAX_REPEATED, error);
  if (n != 2)
    return fail (r, error, "expected <start-time> <stop-time>");
  if (!parse_number (f[0], G_MAXUINT64, &start) || !parse_number (f[1], G_MAXUINT64, &stop))
    return fail (r, error, "times are not numbers");
  g_ptr_array_add (self->times, _hail_sdp_time_new (start, stop));
  return TRUE;
}

static gboolean
parse_media (const Reader  *r,
             HailSdpMedia  *m,
             GError       **error)
{
  guint n = 0;
  g_auto(GStrv) f = split_fields (r, 3 + HAIL_SDP_MAX_FORMATS, &n);
  g_auto(GStrv) port = NULL;
  guint64 v = 0, count = 1;
  gboolean rtp;

  if (n > 3 + HAIL_SDP_MAX_FORMATS)
    return too_many (r, "formats", HAIL_SDP_MAX_FORMATS, error);
  if (n < 3)
    return fail (r, error, "expected <media> <port> <proto> <fmt> ...");
  if (!is_token (f[0]))
    return fail (r, error, "bad media type");
  port = g_strsplit (f[1], "/", 3);
  if (!parse_number (port[0], G_MAXUINT16, &v))
    return fail (r, error, "port is not in 0..65535");
  if (port[1] != NULL && (port[2] != NULL || !parse_number (port[1], G_MAXUINT16, &count)
                          || count == 0))
    return fail (r, error, "bad number of ports");
  for (const char *p = f[2]; *p != '\0'; p++)
    if (!is_token_char (*p) && *p != '/')
      return fail (r, error, "bad transport protocol");
  /* RFC 3264 §6: a rejected stream still lists a format, but some stacks
   * drop them all; that is harmless when the port is 0. */
  if (n == 3 && v != 0)
    return fail (r, error, "no media formats");

  rtp = strstr (f[2], "RTP/") != NULL;
  for (guint i = 3; i < n; i++)
    {
      guint64 pt;

      if (!is_token (f[i]))
        return fail (r, error, "bad media format \"%s\"", f[i]);
      /* RFC 3551 §6: RTP formats are payload type numbers. */
      if (rtp && !parse_number (f[i], 127, &pt))
        return fail (r, error, "RTP payload type \"%s\" is not in 0..127", f[i]);
      g_ptr_array_add (m->formats, g_strdup (f[i]));
    }
  m->media = g_strdup (f[0]);
  m->port = (guint16) v;
  m->n_ports = (guint) count;
  m->proto = g_strdup (f[2]);
  return TRUE;
}

static gboolean
parse_attribute (const Reader  *r,
                 GPtrArray     *attributes,
                 GError       **error)
{
  g_autofree char *line = value_dup (r);
  g_autoptr(GError) local = NULL;
  char *colon;
  const char *value = NULL;

  if (attributes->len >= HAIL_SDP_MAX_ATTRIBUTES)
    return too_many (r, "attributes", HAIL_SDP_MAX_ATTRIBUTES, error);
  /* Trailing blanks carry nothing and some stacks send them
   * ("a=ptime:20 "); dropping them spares the typed parsers. */
  g_strchomp (line);
  colon = strchr (line, ':');
  if (colon != NULL)
    {
      *colon = '\0';
      value = colon + 1;
    }
  if (!is_token (line))
    return fail (r, error, "bad attribute name");
  if (!_hail_sdp_attribute_validate (line, value, &local))
    return fail (r, error, "a=%s: %s", line, local->message);
  g_ptr_array_add (attributes, _hail_sdp_attribute_new (line, value));
  return TRUE;
}

static gboolean
add_string (const Reader  *r,
            GPtrArray     *strings,
            GError       **error)
{
  if (strings->len >= HAIL_SDP_MAX_REPEATED)
    return too_many (r, "lines of this type", HAIL_SDP_MAX_REPEATED, error);
  g_ptr_array_add (strings, value_dup (r));
  return TRUE;
}

/* Checks that the line type may come in this section: known there, and
 * not repeated unless it may be. RFC 8866 §5 fixes an order, but peers
 * get it wrong and the order carries no meaning, so any order is taken.
 * @seen holds one bit per letter already seen in the section. */
static gboolean
check_line (const Reader  *r,
            const char    *types,
            const char    *single,
            guint32       *seen,
            GError       **error)
{
  guint32 bit;

  if (strchr ("vos", r->type) != NULL)
    return fail (r, error, "repeated");
  if (strchr (types, r->type) == NULL)
    return fail (r, error, "unknown or misplaced line type");
  bit = 1u << (r->type - 'a');
  if ((*seen & bit) != 0 && strchr (single, r->type) != NULL)
    return fail (r, error, "repeated");
  *seen |= bit;
  return TRUE;
}

static gboolean
parse_session_line (const Reader   *r,
                    HailSdpSession *self,
                    GError        **error)
{
  HailSdpTime *t;

  switch (r->type)
    {
    case 'v':
      if (r->value_len != 1 || r->value[0] != '0')
        return fail (r, error, "only version 0 exists");
      return TRUE;
    case 'o':
      return parse_origin (r, self, error);
    case 's':
      self->name = value_dup (r);
      return TRUE;
    case 'i':
      self->info = value_dup (r);
      return TRUE;
    case 'u':
      self->uri = value_dup (r);
      return TRUE;
    case 'e':
      return add_string (r, self->emails, error);
    case 'p':
      return add_string (r, self->phones, error);
    case 'c':
      return parse_connection (r, &self->connection, error);
    case 'b':
      return parse_bandwidth (r, self->bandwidths, error);
    case 't':
      return parse_time (r, self, error);
    case 'r':
      t = g_ptr_array_index (self->times, self->times->len - 1);
      if (r->value_len == 0)
        return fail (r, error, "empty repeat time");
      return add_string (r, t->repeats, error);
    case 'z':
      self->zone = value_dup (r);
      return TRUE;
    case 'k':
      self->key = value_dup (r);
      return TRUE;
    case 'a':
      return parse_attribute (r, self->attributes, error);
    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_media_line (const Reader  *r,
                  HailSdpMedia  *m,
                  GError       **error)
{
  HailSdpConnection *conn = NULL;

  switch (r->type)
    {
    case 'i':
      m->info = value_dup (r);
      return TRUE;
    case 'c':
      if (m->connections->len >= HAIL_SDP_MAX_REPEATED)
        return too_many (r, "c= lines", HAIL_SDP_MAX_REPEATED, error);
      if (!parse_connection (r, &conn, error))
        return FALSE;
      g_ptr_array_add (m->connections, conn);
      return TRUE;
    case 'b':
      return parse_bandwidth (r, m->bandwidths, error);
    case 'k':
      m->key = value_dup (r);
      return TRUE;
    case 'a':
      return parse_attribute (r, m->attributes, error);
    default:
      g_assert_not_reached ();
    }
}

/**
 * hail_sdp_session_parse:
 * @data: (array length=len): the body, not necessarily NUL-terminated
 *
 * Parses an SDP body. Errors are HAIL_SIP_ERROR_MALFORMED (the message names
 * the line and the problem) or HAIL_SIP_ERROR_TOO_LARGE (a bound passed).
 *
 * Returns: (transfer full): the session, or NULL with @error set
 */
HailSdpSession *
hail_sdp_session_parse (const char  *data,
                        gsize        len,
                        GError     **error)
{
  g_autoptr(HailSdpSession) self = NULL;
  Reader r = { data, len, 0, 0, '?', NULL, 0 };
  g_autoptr(GError) local = NULL;
  HailSdpMedia *m = NULL;
  guint32 seen = 0;

  g_return_val_if_fail (data != NULL || len == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (len > HAIL_SDP_MAX_SIZE)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                   "SDP body of %" G_GSIZE_FORMAT " bytes is larger than %u",
                   len, HAIL_SDP_MAX_SIZE);
      return NULL;
    }

  self = _hail_sdp_session_alloc ();
  while (next_line (&r, &local))
    {
      /* RFC 8866 §5: v= o= s= open every description, in this order. */
      if ((r.lineno == 1 && r.type != 'v') || (r.lineno == 2 && r.type != 'o')
          || (r.lineno == 3 && r.type != 's'))
        {
          fail (&r, error, "SDP must start with v=, o= and s=");
          return NULL;
        }

      if (r.type == 'm')
        {
          if (self->times->len == 0)
            {
              fail (&r, error, "no t= line before the media descriptions");
              return NULL;
            }
          if (self->media->len >= HAIL_SDP_MAX_MEDIA)
            {
              too_many (&r, "media descriptions", HAIL_SDP_MAX_MEDIA, error);
              return NULL;
            }
          m = _hail_sdp_media_new ();
          g_ptr_array_add (self->media, m);
          if (!parse_media (&r, m, error))
            return NULL;
          seen = 0;
          continue;
        }

      if (r.lineno <= 3)
        {
          if (!parse_session_line (&r, self, error))
            return NULL;
        }
      else if (m == NULL)
        {
          if (!check_line (&r, session_types, session_single, &seen, error))
            return NULL;
          /* A repeat time belongs to the time description before it. */
          if (r.type == 'r' && self->times->len == 0)
            {
              fail (&r, error, "r= without t=");
              return NULL;
            }
          if (!parse_session_line (&r, self, error))
            return NULL;
        }
      else
        {
          if (!check_line (&r, media_types, media_single, &seen, error))
            return NULL;
          if (!parse_media_line (&r, m, error))
            return NULL;
        }
    }
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (r.lineno < 3 || self->times->len == 0)
    {
      g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED,
                   "SDP ends after %u lines, without v=, o=, s= and t=", r.lineno);
      return NULL;
    }
  return g_steal_pointer (&self);
}
