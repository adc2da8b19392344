/* hail-sip-uri.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sip:, sips: (RFC 3261 §19.1, §25.1) and tel: (RFC 3966) URIs; any other
 * absolute URI is kept as scheme + opaque text so that unknown schemes parse
 * (RFC 4475 unkscm, novelsc, unksm2). Comparison is in hail-sip-uri-compare.c.
 */
#include "config.h"

#include "hail-sip-uri.h"

#include "hail-sip-limits.h"
#include "hail-sip-private.h"

#include <string.h>

struct _HailSipUri {
  HailSipUriScheme scheme;
  gboolean         host_is_ipv6;
  guint            port;

  /* Everything below points into text[], in the same allocation, and is
   * NUL-terminated. user and password are unescaped and may hold NULs (from
   * %00), hence their lengths; params and headers stay escaped. */
  const char      *string;
  const char      *scheme_name;
  const char      *user;
  gsize            user_len;
  const char      *password;
  gsize            password_len;
  const char      *host;
  const char      *params;
  const char      *headers;
  const char      *opaque;
  char             text[];
};

G_DEFINE_BOXED_TYPE (HailSipUri, hail_sip_uri, hail_sip_uri_ref, hail_sip_uri_unref)

static gboolean
uri_error (GError    **error,
           const char *what)
{
  g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED, "invalid URI: %s", what);
  return FALSE;
}

/* Scans 1*( chars of @cls / escaped ); returns NULL on a bad %-escape. */
static const char *
scan_escaped (const char *p,
              const char *end,
              guint16     cls)
{
  while (p < end)
    {
      if (_hail_sip_is (*p, cls))
        p++;
      else if (*p == '%')
        {
          if (end - p < 3 || !_hail_sip_is (p[1], HAIL_SIP_C_HEX)
              || !_hail_sip_is (p[2], HAIL_SIP_C_HEX))
            return NULL;
          p += 3;
        }
      else
        break;
    }
  return p;
}

/* host [":" port] of RFC 3261 §25.1, shared with the Via sent-by. The host
 * is returned without the brackets of an IPv6 reference. */
gboolean
_hail_sip_parse_host (const char  **pp,
                      const char   *end,
                      HailSipSpan  *host,
                      gboolean     *is_ipv6,
                      guint        *port)
{
  const char *p = *pp;
  const char *start;
  guint32 value;

  *port = 0;
  *is_ipv6 = FALSE;
  if (p < end && *p == '[')
    {
      gboolean colon = FALSE;

      start = ++p;
      while (p < end && (_hail_sip_is (*p, HAIL_SIP_C_HEX) || *p == ':' || *p == '.'))
        colon |= *p++ == ':';
      if (p >= end || *p != ']' || p - start < 2 || !colon)
        return FALSE;
      *host = _hail_sip_span (start, p);
      *is_ipv6 = TRUE;
      p++;
    }
  else
    {
      start = p;
      p = _hail_sip_skip_class (p, end, HAIL_SIP_C_HOST);
      if (p == start || *start == '-' || *start == '.')
        return FALSE;
      *host = _hail_sip_span (start, p);
    }

  if (p < end && *p == ':')
    {
      start = ++p;
      p = _hail_sip_skip_class (p, end, HAIL_SIP_C_DIGIT);
      if (p - start > 5 || !_hail_sip_parse_uint32 (start, p, &value)
          || value == 0 || value > 65535)
        return FALSE;
      *port = value;
    }
  *pp = p;
  return TRUE;
}

/* *( ";" pname [ "=" pvalue ] ) of SIP and tel URIs. */
static gboolean
parse_uri_params (const char  **pp,
                  const char   *end,
                  HailSipSpan  *params,
                  GError      **error)
{
  const char *p = *pp;
  guint n = 0;

  if (p >= end || *p != ';')
    return TRUE;
  params->ptr = p + 1;
  while (p < end && *p == ';')
    {
      const char *name = ++p;

      p = scan_escaped (p, end, HAIL_SIP_C_PARAM);
      if (p == NULL || p == name)
        return uri_error (error, "empty or badly escaped parameter");
      if (p < end && *p == '=')
        {
          const char *value = ++p;

          p = scan_escaped (p, end, HAIL_SIP_C_PARAM);
          if (p == NULL || p == value)
            return uri_error (error, "empty or badly escaped parameter value");
        }
      if (++n > HAIL_SIP_MAX_URI_PARAMS)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "invalid URI: more than %u parameters", HAIL_SIP_MAX_URI_PARAMS);
          return FALSE;
        }
    }
  params->len = (gsize) (p - params->ptr);
  *pp = p;
  return TRUE;
}

/* "?" hname "=" hvalue *( "&" hname "=" hvalue ) */
static gboolean
parse_uri_headers (const char  **pp,
                   const char   *end,
                   HailSipSpan  *headers,
                   GError      **error)
{
  const char *p = *pp;
  guint n = 0;

  if (p >= end || *p != '?')
    return TRUE;
  headers->ptr = p + 1;
  do
    {
      const char *name = ++p;

      p = scan_escaped (p, end, HAIL_SIP_C_HNV);
      if (p == NULL || p == name || p >= end || *p != '=')
        return uri_error (error, "bad header");
      p = scan_escaped (p + 1, end, HAIL_SIP_C_HNV);
      if (p == NULL)
        return uri_error (error, "badly escaped header value");
      if (++n > HAIL_SIP_MAX_URI_HEADERS)
        {
          g_set_error (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_TOO_LARGE,
                       "invalid URI: more than %u headers", HAIL_SIP_MAX_URI_HEADERS);
          return FALSE;
        }
    }
  while (p < end && *p == '&');
  headers->len = (gsize) (p - headers->ptr);
  *pp = p;
  return TRUE;
}

static gboolean
parse_sip (HailSipUriView *view,
           const char     *p,
           const char     *end,
           GError        **error)
{
  const char *user_end = scan_escaped (p, end, HAIL_SIP_C_USER);

  /* userinfo = user [ ":" password ] "@". No param, header or host character
   * is '@', and the user part may itself hold ';' '?' '/' (RFC 4475
   * semiuri, intmeth), so scan the user characters and look at what stops
   * them: without an '@' there, there is no userinfo. */
  if (user_end == NULL)
    return uri_error (error, "bad user part");
  if (user_end < end && (*user_end == '@' || *user_end == ':'))
    {
      const char *at = user_end;

      if (*user_end == ':')
        {
          at = scan_escaped (user_end + 1, end, HAIL_SIP_C_PASSWORD);
          if (at == NULL)
            return uri_error (error, "bad password");
        }
      if (at < end && *at == '@')
        {
          if (user_end == p)
            return uri_error (error, "bad user part");
          view->user = _hail_sip_span (p, user_end);
          if (at != user_end)
            view->password = _hail_sip_span (user_end + 1, at);
          p = at + 1;
        }
    }

  if (!_hail_sip_parse_host (&p, end, &view->host, &view->host_is_ipv6, &view->port))
    return uri_error (error, "bad host or port");
  if (!parse_uri_params (&p, end, &view->params, error)
      || !parse_uri_headers (&p, end, &view->headers, error))
    return FALSE;
  if (p != end)
    return uri_error (error, "unexpected character after the host");
  return TRUE;
}

/* RFC 3966 telephone-subscriber: global-number ("+" digits) or local-number
 * (hex digits, "*", "#"), with visual separators, then parameters. */
static gboolean
parse_tel (HailSipUriView *view,
           const char     *p,
           const char     *end,
           GError        **error)
{
  const char *start = p;
  gboolean global = p < end && *p == '+';
  gboolean digit = FALSE;

  if (global)
    p++;
  for (; p < end && _hail_sip_is (*p, HAIL_SIP_C_TEL); p++)
    {
      if (*p == '+')
        return uri_error (error, "'+' inside a telephone number");
      if (global && _hail_sip_is (*p, HAIL_SIP_C_HEX) && !_hail_sip_is (*p, HAIL_SIP_C_DIGIT))
        return uri_error (error, "hex digit in a global number");
      digit |= _hail_sip_is (*p, HAIL_SIP_C_HEX) || *p == '*' || *p == '#';
    }
  if (!digit)
    return uri_error (error, "telephone number without digits");
  view->user = _hail_sip_span (start, p);
  if (!parse_uri_params (&p, end, &view->params, error))
    return FALSE;
  if (p != end)
    return uri_error (error, "unexpected character in a tel URI");
  return TRUE;
}

/**
 * hail_sip_uri_view_parse:
 * @view: (out caller-allocates): the result
 * @str: URI text, not necessarily NUL-terminated
 * @len: length of @str
 * @error: return location for a #GError
 *
 * Parses and validates a URI without allocating; the spans of @view point
 * into @str. Fails with %HAIL_SIP_ERROR_MALFORMED.
 *
 * Returns: whether @str is a valid URI
 */
gboolean
hail_sip_uri_view_parse (HailSipUriView *view,
                         const char     *str,
                         gsize           len,
                         GError        **error)
{
  const char *end = str + len;
  const char *p = str;

  g_return_val_if_fail (view != NULL, FALSE);
  g_return_val_if_fail (str != NULL || len == 0, FALSE);

  memset (view, 0, sizeof *view);
  if (len == 0 || !g_ascii_isalpha (*p))
    return uri_error (error, "no scheme");
  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_SCHEME);
  if (p >= end || *p != ':')
    return uri_error (error, "no scheme");
  view->scheme_name = _hail_sip_span (str, p);
  p++;

  if (_HAIL_SIP_SPAN_IS (view->scheme_name, "sip"))
    view->scheme = HAIL_SIP_URI_SCHEME_SIP;
  else if (_HAIL_SIP_SPAN_IS (view->scheme_name, "sips"))
    view->scheme = HAIL_SIP_URI_SCHEME_SIPS;
  else if (_HAIL_SIP_SPAN_IS (view->scheme_name, "tel"))
    view->scheme = HAIL_SIP_URI_SCHEME_TEL;
  else
    view->scheme = HAIL_SIP_URI_SCHEME_OTHER;

  switch (view->scheme)
    {
    case HAIL_SIP_URI_SCHEME_SIP:
    case HAIL_SIP_URI_SCHEME_SIPS:
      return parse_sip (view, p, end, error);
    case HAIL_SIP_URI_SCHEME_TEL:
      return parse_tel (view, p, end, error);
    case HAIL_SIP_URI_SCHEME_OTHER:
    default:
      if (p == end || _hail_sip_skip_class (p, end, HAIL_SIP_C_OPAQUE) != end)
        return uri_error (error, "bad character in an opaque URI");
      view->opaque = _hail_sip_span (p, end);
      return TRUE;
    }
}

/* Unescapes %HH into @out (which has room for @len bytes); returns the new
 * length. Invalid escapes were rejected by the parser; here they are copied
 * literally so the function is total. */
static gsize
unescape_into (char       *out,
               const char *p,
               gsize       len)
{
  const char *end = p + len;
  gsize n = 0;

  while (p < end)
    {
      if (*p == '%' && end - p >= 3 && g_ascii_isxdigit (p[1]) && g_ascii_isxdigit (p[2]))
        {
          out[n++] = (char) (g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]));
          p += 3;
        }
      else
        out[n++] = *p++;
    }
  return n;
}

/**
 * hail_sip_uri_unescape:
 * @str: %-escaped text
 * @len: its length
 * @out_len: (out) (optional): length of the result, which may contain NULs
 *
 * Resolves %HH escapes once (`%2541` becomes `%41`, not `A`).
 *
 * Returns: (transfer full): the unescaped text, NUL-terminated
 */
char *
hail_sip_uri_unescape (const char *str,
                       gsize       len,
                       gsize      *out_len)
{
  char *out;
  gsize n;

  g_return_val_if_fail (str != NULL || len == 0, NULL);

  out = g_malloc (len + 1);
  n = unescape_into (out, str, len);
  out[n] = '\0';
  if (out_len != NULL)
    *out_len = n;
  return out;
}

/* Appends a copy of @span to the text area and NUL-terminates it. */
static const char *
put_span (char        **cursor,
          HailSipSpan   span)
{
  char *start = *cursor;

  if (span.ptr == NULL)
    return NULL;
  memcpy (start, span.ptr, span.len);
  start[span.len] = '\0';
  *cursor = start + span.len + 1;
  return start;
}

static gsize
canonical_length (const HailSipUriView *view)
{
  gsize n = view->scheme_name.len + 1;

  if (view->user.ptr != NULL && view->scheme != HAIL_SIP_URI_SCHEME_TEL)
    n += view->user.len + 1;
  else if (view->user.ptr != NULL)
    n += view->user.len;
  if (view->password.ptr != NULL)
    n += view->password.len + 1;
  if (view->host.ptr != NULL)
    n += view->host.len + (view->host_is_ipv6 ? 2 : 0);
  if (view->port != 0)
    n += 6;
  if (view->params.ptr != NULL)
    n += view->params.len + 1;
  if (view->headers.ptr != NULL)
    n += view->headers.len + 1;
  n += view->opaque.len;
  return n;
}

/* Writes the URI from its validated parts: the scheme in lower case (RFC 3261
 * §19.1.4 compares it case-insensitively), everything else as received. */
static char *
write_canonical (char                 *out,
                 const HailSipUriView *view)
{
  char *p = out;

  for (gsize i = 0; i < view->scheme_name.len; i++)
    *p++ = _hail_sip_lower (view->scheme_name.ptr[i]);
  *p++ = ':';
  if (view->scheme == HAIL_SIP_URI_SCHEME_OTHER)
    {
      memcpy (p, view->opaque.ptr, view->opaque.len);
      p += view->opaque.len;
      *p = '\0';
      return p;
    }
  if (view->user.ptr != NULL)
    {
      memcpy (p, view->user.ptr, view->user.len);
      p += view->user.len;
      if (view->password.ptr != NULL)
        {
          *p++ = ':';
          memcpy (p, view->password.ptr, view->password.len);
          p += view->password.len;
        }
      if (view->scheme != HAIL_SIP_URI_SCHEME_TEL)
        *p++ = '@';
    }
  if (view->host.ptr != NULL)
    {
      if (view->host_is_ipv6)
        *p++ = '[';
      memcpy (p, view->host.ptr, view->host.len);
      p += view->host.len;
      if (view->host_is_ipv6)
        *p++ = ']';
    }
  if (view->port != 0)
    p += g_snprintf (p, 7, ":%u", view->port);
  if (view->params.ptr != NULL)
    {
      *p++ = ';';
      memcpy (p, view->params.ptr, view->params.len);
      p += view->params.len;
    }
  if (view->headers.ptr != NULL)
    {
      *p++ = '?';
      memcpy (p, view->headers.ptr, view->headers.len);
      p += view->headers.len;
    }
  *p = '\0';
  return p;
}

/**
 * hail_sip_uri_new_from_view:
 * @view: a view filled by hail_sip_uri_view_parse()
 *
 * Copies a parsed view into an owned URI, in one allocation.
 *
 * Returns: (transfer full): a new #HailSipUri
 */
HailSipUri *
hail_sip_uri_new_from_view (const HailSipUriView *view)
{
  gsize canon = canonical_length (view);
  gsize size;
  HailSipUri *self;
  char *cursor;

  g_return_val_if_fail (view != NULL, NULL);
  g_return_val_if_fail (view->scheme_name.ptr != NULL, NULL);

  size = canon + 1 + view->scheme_name.len + 1 + view->user.len + 1 + view->password.len + 1
         + view->host.len + 1 + view->params.len + 1 + view->headers.len + 1
         + view->opaque.len + 1;
  self = g_atomic_rc_box_alloc0 (sizeof (HailSipUri) + size);
  self->scheme = view->scheme;
  self->host_is_ipv6 = view->host_is_ipv6;
  self->port = view->port;

  cursor = self->text;
  self->string = cursor;
  cursor = write_canonical (cursor, view) + 1;
  self->scheme_name = cursor;
  for (gsize i = 0; i < view->scheme_name.len; i++)
    *cursor++ = _hail_sip_lower (view->scheme_name.ptr[i]);
  *cursor++ = '\0';
  if (view->user.ptr != NULL)
    {
      self->user = cursor;
      /* A tel: number has no escapes worth resolving, but unescaping is
       * harmless there and keeps one code path. */
      self->user_len = unescape_into (cursor, view->user.ptr, view->user.len);
      cursor[self->user_len] = '\0';
      cursor += self->user_len + 1;
    }
  if (view->password.ptr != NULL)
    {
      self->password = cursor;
      self->password_len = unescape_into (cursor, view->password.ptr, view->password.len);
      cursor[self->password_len] = '\0';
      cursor += self->password_len + 1;
    }
  self->host = put_span (&cursor, view->host);
  self->params = put_span (&cursor, view->params);
  self->headers = put_span (&cursor, view->headers);
  self->opaque = put_span (&cursor, view->opaque);
  g_assert (cursor <= self->text + size);
  return self;
}

/**
 * hail_sip_uri_parse:
 * @str: URI text
 * @len: length of @str, or -1 when NUL-terminated
 * @error: return location for a #GError
 *
 * Parses a sip:, sips:, tel: or other absolute URI.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL with @error set
 */
HailSipUri *
hail_sip_uri_parse (const char  *str,
                    gssize       len,
                    GError     **error)
{
  HailSipUriView view;

  g_return_val_if_fail (str != NULL, NULL);

  if (len < 0)
    len = (gssize) strlen (str);
  if (!hail_sip_uri_view_parse (&view, str, (gsize) len, error))
    return NULL;
  return hail_sip_uri_new_from_view (&view);
}

/**
 * hail_sip_uri_new:
 * @scheme: %HAIL_SIP_URI_SCHEME_SIP or %HAIL_SIP_URI_SCHEME_SIPS
 * @user: (nullable): user part, unescaped; escaped here as needed
 * @host: host name or address (an IPv6 address gets its brackets here)
 * @port: port, or 0 for none
 * @error: return location for a #GError
 *
 * Builds a SIP URI from its parts.
 *
 * Returns: (transfer full) (nullable): the URI, or %NULL when @host is not
 *   a valid host
 */
HailSipUri *
hail_sip_uri_new (HailSipUriScheme   scheme,
                  const char        *user,
                  const char        *host,
                  guint              port,
                  GError           **error)
{
  g_autoptr(GString) s = g_string_new (NULL);

  g_return_val_if_fail (scheme == HAIL_SIP_URI_SCHEME_SIP || scheme == HAIL_SIP_URI_SCHEME_SIPS,
                        NULL);
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port <= 65535, NULL);

  g_string_append (s, scheme == HAIL_SIP_URI_SCHEME_SIPS ? "sips:" : "sip:");
  if (user != NULL && *user != '\0')
    {
      for (const char *p = user; *p != '\0'; p++)
        {
          if (_hail_sip_is (*p, HAIL_SIP_C_USER))
            g_string_append_c (s, *p);
          else
            g_string_append_printf (s, "%%%02X", (guint8) *p);
        }
      g_string_append_c (s, '@');
    }
  if (strchr (host, ':') != NULL && host[0] != '[')
    g_string_append_printf (s, "[%s]", host);
  else
    g_string_append (s, host);
  if (port != 0)
    g_string_append_printf (s, ":%u", port);
  return hail_sip_uri_parse (s->str, (gssize) s->len, error);
}

/**
 * hail_sip_uri_ref:
 * @self: a URI
 *
 * Returns: (transfer full): @self with one more reference
 */
HailSipUri *
hail_sip_uri_ref (HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_atomic_rc_box_acquire (self);
}

/**
 * hail_sip_uri_unref:
 * @self: (transfer full): a URI
 *
 * Drops a reference; frees the URI with the last one.
 */
void
hail_sip_uri_unref (HailSipUri *self)
{
  g_return_if_fail (self != NULL);

  g_atomic_rc_box_release (self);
}

/* Returns: the scheme. */
HailSipUriScheme
hail_sip_uri_get_scheme (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, HAIL_SIP_URI_SCHEME_OTHER);

  return self->scheme;
}

/* Returns: the scheme name in lower case, without the colon. */
const char *
hail_sip_uri_get_scheme_name (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->scheme_name;
}

/**
 * hail_sip_uri_get_user:
 * @self: a URI
 * @len: (out) (optional): length, which counts any NUL from `%00`
 *
 * Returns: (nullable): the unescaped user part (tel: the number), or %NULL
 */
const char *
hail_sip_uri_get_user (const HailSipUri *self,
                       gsize            *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (len != NULL)
    *len = self->user_len;
  return self->user;
}

/**
 * hail_sip_uri_get_password:
 * @self: a URI
 * @len: (out) (optional): length
 *
 * Returns: (nullable): the unescaped password, or %NULL
 */
const char *
hail_sip_uri_get_password (const HailSipUri *self,
                           gsize            *len)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (len != NULL)
    *len = self->password_len;
  return self->password;
}

/* Returns: (nullable): the host without IPv6 brackets, %NULL for tel: and others. */
const char *
hail_sip_uri_get_host (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->host;
}

/* Returns: whether the host was written as an IPv6 reference. */
gboolean
hail_sip_uri_host_is_ipv6 (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->host_is_ipv6;
}

/* Returns: the port, 0 when absent. */
guint
hail_sip_uri_get_port (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->port;
}

/* Returns: (nullable): the escaped parameters after the first ';', or %NULL. */
const char *
hail_sip_uri_get_params (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->params;
}

/* Returns: (nullable): the escaped headers after '?', or %NULL. */
const char *
hail_sip_uri_get_headers (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->headers;
}

/* Returns: (nullable): for other schemes, the text after the colon. */
const char *
hail_sip_uri_get_opaque (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->opaque;
}

/* Returns: for tel:, whether the number is global (starts with '+'). */
gboolean
hail_sip_uri_is_global_number (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->scheme == HAIL_SIP_URI_SCHEME_TEL && self->user != NULL && self->user[0] == '+';
}

/**
 * hail_sip_uri_to_string:
 * @self: a URI
 *
 * The writer: the URI as text, with the scheme in lower case and everything
 * else as parsed, so that hail_sip_uri_parse() reads back an equal URI.
 *
 * Returns: (transfer none): the text, owned by @self
 */
const char *
hail_sip_uri_to_string (const HailSipUri *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->string;
}
