/* hail-sip-header-addr.c
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Via (RFC 3261 §20.42, RFC 3581 rport) and the name-addr / addr-spec
 * values shared by From, To, Contact, Route, Record-Route and friends.
 */
#include "config.h"

#include "hail-sip-header.h"

#include "hail-sip-private.h"

#include <string.h>

static gboolean
fail (GError    **error,
      const char *what)
{
  g_set_error_literal (error, HAIL_SIP_ERROR, HAIL_SIP_ERROR_MALFORMED, what);
  return FALSE;
}

/* token SWS "/" SWS: one element of sent-protocol. */
static gboolean
scan_protocol_part (const char  **pp,
                    const char   *end,
                    HailSipSpan  *part,
                    gboolean      slash_follows)
{
  const char *p = *pp;
  const char *start = p;

  p = _hail_sip_skip_class (p, end, HAIL_SIP_C_TOKEN);
  if (p == start)
    return FALSE;
  *part = _hail_sip_span (start, p);
  if (slash_follows)
    {
      p = _hail_sip_skip_ws (p, end);
      if (p >= end || *p != '/')
        return FALSE;
      p = _hail_sip_skip_ws (p + 1, end);
    }
  *pp = p;
  return TRUE;
}

static gboolean
parse_port (HailSipSpan  value,
            guint       *port)
{
  guint32 v;

  if (!hail_sip_span_to_uint32 (value, &v) || v == 0 || v > 65535)
    return FALSE;
  *port = v;
  return TRUE;
}

/* Takes one Via parameter that a transport needs. */
static gboolean
via_param (HailSipVia  *via,
           HailSipSpan  name,
           HailSipSpan  value,
           GError     **error)
{
  guint32 ttl;

  switch (name.len)
    {
    case 3:
      if (_HAIL_SIP_SPAN_IS (name, "ttl"))
        {
          if (!hail_sip_span_to_uint32 (value, &ttl) || ttl > 255)
            return fail (error, "ttl out of range");
          via->ttl = (gint) ttl;
        }
      break;
    case 5:
      if (_HAIL_SIP_SPAN_IS (name, "rport"))
        {
          via->has_rport = TRUE;
          if (value.ptr != NULL && !parse_port (value, &via->rport))
            return fail (error, "rport out of range");
        }
      else if (_HAIL_SIP_SPAN_IS (name, "maddr"))
        {
          if (value.ptr == NULL)
            return fail (error, "maddr parameter without value");
          via->maddr = value;
        }
      break;
    case 6:
      if (_HAIL_SIP_SPAN_IS (name, "branch"))
        {
          if (value.ptr == NULL || value.ptr[0] == '"')
            return fail (error, "bad branch parameter");
          if (via->branch.ptr == NULL)
            via->branch = value;
        }
      break;
    case 8:
      if (_HAIL_SIP_SPAN_IS (name, "received"))
        {
          if (value.ptr == NULL)
            return fail (error, "received parameter without value");
          via->received = value;
        }
      break;
    default:
      break;
    }
  return TRUE;
}

/* Parses one via-parm from @p up to a ',' that ends it or @end. */
gboolean
_hail_sip_via_parse_at (HailSipVia  *via,
                        const char  *p,
                        const char  *end,
                        const char **next,
                        GError     **error)
{
  HailSipParamSpan cache[HAIL_SIP_PARAM_CACHE];
  guint n_params = 0;
  const char *q;

  memset (via, 0, sizeof *via);
  via->ttl = -1;
  p = _hail_sip_skip_ws (p, end);
  if (!scan_protocol_part (&p, end, &via->protocol_name, TRUE)
      || !scan_protocol_part (&p, end, &via->protocol_version, TRUE)
      || !scan_protocol_part (&p, end, &via->transport, FALSE))
    return fail (error, "bad sent-protocol");
  q = _hail_sip_skip_ws (p, end);
  if (q == p)
    return fail (error, "no space before sent-by");
  p = q;
  if (!_hail_sip_parse_host (&p, end, &via->host, &via->host_is_ipv6, &via->port))
    return fail (error, "bad sent-by host or port");
  if (!_hail_sip_parse_params (&p, end, &via->params, cache, &n_params, error))
    return FALSE;
  if (p != end && *p != ',')
    return fail (error, "unexpected text after the sent-by");
  *next = p;

  if (n_params <= HAIL_SIP_PARAM_CACHE)
    {
      for (guint i = 0; i < n_params; i++)
        if (!via_param (via, cache[i].name, cache[i].value, error))
          return FALSE;
    }
  else
    {
      HailSipParamIter iter;
      HailSipSpan name, value;

      hail_sip_param_iter_init (&iter, via->params);
      while (hail_sip_param_iter_next (&iter, &name, &value))
        if (!via_param (via, name, value, error))
          return FALSE;
    }
  return TRUE;
}

/**
 * hail_sip_via_parse:
 * @via: (out caller-allocates): the result
 * @str: one via-parm (one element of a Via list)
 * @len: its length
 * @error: return location for a #GError
 *
 * Parses `SIP / 2.0 / UDP host[:port] *( ; param )`, with LWS allowed
 * around `/`, `;` and `=` (RFC 4475 wsinv). A Via without branch is fine
 * (RFC 2543 peers).
 *
 * Returns: whether @str is a valid via-parm
 */
gboolean
hail_sip_via_parse (HailSipVia  *via,
                    const char  *str,
                    gsize        len,
                    GError     **error)
{
  const char *next = NULL;

  g_return_val_if_fail (via != NULL, FALSE);
  g_return_val_if_fail (str != NULL || len == 0, FALSE);

  if (!_hail_sip_via_parse_at (via, str, str + len, &next, error))
    return FALSE;
  if (next != str + len)
    return fail (error, "unexpected text after the sent-by");
  return TRUE;
}

/* The URI of an addr-spec outside <> ends at LWS, ';' or ',' (RFC 3261
 * §20.10: a URI holding ',', '?' or ';' must be bracketed). */
static const char *
scan_bare_uri (const char *p,
               const char *end)
{
  while (p < end && _hail_sip_is (*p, HAIL_SIP_C_OPAQUE) && *p != ';' && *p != ',')
    p++;
  return p;
}

static gboolean
parse_addr_uri (HailSipNameAddr  *addr,
                const char       *start,
                const char       *stop,
                GError          **error)
{
  addr->uri = _hail_sip_span (start, stop);
  return hail_sip_uri_view_parse (&addr->uri_view, start, (gsize) (stop - start), error);
}

/* Parses one value from @p; in a @list a ',' after it ends it. */
gboolean
_hail_sip_name_addr_parse_at (HailSipNameAddr  *addr,
                              const char       *p,
                              const char       *end,
                              gboolean          list,
                              const char      **next,
                              GError          **error)
{
  HailSipParamSpan cache[HAIL_SIP_PARAM_CACHE];
  guint n_params = 0;
  HailSipSpan value = HAIL_SIP_SPAN_NONE;
  gboolean have_tag = FALSE;
  const char *q;

  /* uri_view is cleared by its parser, or here for '*'. */
  addr->display_name = HAIL_SIP_SPAN_NONE;
  addr->uri = HAIL_SIP_SPAN_NONE;
  addr->bracketed = FALSE;
  addr->wildcard = FALSE;
  addr->params = HAIL_SIP_SPAN_NONE;
  addr->tag = HAIL_SIP_SPAN_NONE;
  p = _hail_sip_skip_ws (p, end);
  if (p < end && *p == '*')
    {
      p = _hail_sip_skip_ws (p + 1, end);
      if (p != end && (!list || *p != ','))
        return fail (error, "unexpected text after '*'");
      memset (&addr->uri_view, 0, sizeof addr->uri_view);
      addr->wildcard = TRUE;
      *next = p;
      return TRUE;
    }

  if (p < end && *p == '"')
    {
      q = _hail_sip_scan_quoted (p, end);
      if (q == NULL)
        return fail (error, "unterminated quoted display name");
      addr->display_name = _hail_sip_span (p, q);
      p = _hail_sip_skip_ws (q, end);
      if (p >= end || *p != '<')
        return fail (error, "quoted display name without <URI>");
    }
  else if (p < end && *p != '<')
    {
      const char *tokens_end = NULL;

      /* *(token LWS) "<": a display name; anything else is an addr-spec. */
      for (q = p; q < end; )
        {
          const char *t = _hail_sip_skip_class (q, end, HAIL_SIP_C_TOKEN);

          if (t == q)
            break;
          tokens_end = t;
          q = _hail_sip_skip_ws (t, end);
        }
      if (tokens_end != NULL && q < end && *q == '<')
        {
          addr->display_name = _hail_sip_span (p, tokens_end);
          p = q;
        }
    }

  if (p < end && *p == '<')
    {
      q = memchr (p, '>', (gsize) (end - p));
      if (q == NULL)
        return fail (error, "'<' without '>'");
      if (q > p + 1 && (_hail_sip_is (p[1], HAIL_SIP_C_WS) || _hail_sip_is (q[-1], HAIL_SIP_C_WS)))
        return fail (error, "space inside <>");
      if (!parse_addr_uri (addr, p + 1, q, error))
        return FALSE;
      addr->bracketed = TRUE;
      p = q + 1;
    }
  else
    {
      q = scan_bare_uri (p, end);
      if (!list && memchr (p, '<', (gsize) (end - p)) != NULL)
        return fail (error, "display name is neither tokens nor a quoted string");
      if (q == p)
        return fail (error, "no URI");
      if (!parse_addr_uri (addr, p, q, error))
        return FALSE;
      if (addr->uri_view.headers.ptr != NULL)
        return fail (error, "a URI with headers must be inside <>");
      p = q;
    }

  if (!_hail_sip_parse_params (&p, end, &addr->params, cache, &n_params, error))
    return FALSE;
  if (p != end && (!list || *p != ','))
    return fail (error, "unexpected text after the address");
  *next = p;

  if (n_params <= HAIL_SIP_PARAM_CACHE)
    {
      for (guint i = 0; i < n_params && !have_tag; i++)
        {
          if (_HAIL_SIP_SPAN_IS (cache[i].name, "tag"))
            {
              have_tag = TRUE;
              value = cache[i].value;
            }
        }
    }
  else
    have_tag = hail_sip_params_lookup (addr->params, "tag", &value);
  if (have_tag)
    {
      if (value.ptr == NULL || value.ptr[0] == '"')
        return fail (error, "bad tag parameter");
      addr->tag = value;
    }
  return TRUE;
}

/**
 * hail_sip_name_addr_parse:
 * @addr: (out caller-allocates): the result
 * @str: one value (one element of a Contact or Route list)
 * @len: its length
 * @error: return location for a #GError
 *
 * Parses `[display-name] <URI> *( ; param )` or `URI *( ; param )`, or `*`.
 * A token display name may touch the `<` (RFC 4475 lwsdisp); an unquoted
 * display name with `,` is refused (baddn); so are spaces inside `<>`
 * (badaspec) and an addr-spec with URI headers (regbadct).
 *
 * Returns: whether @str is a valid value
 */
gboolean
hail_sip_name_addr_parse (HailSipNameAddr  *addr,
                          const char       *str,
                          gsize             len,
                          GError          **error)
{
  const char *next = NULL;

  g_return_val_if_fail (addr != NULL, FALSE);
  g_return_val_if_fail (str != NULL || len == 0, FALSE);

  return _hail_sip_name_addr_parse_at (addr, str, str + len, FALSE, &next, error);
}

/**
 * hail_sip_name_addr_dup_display_name:
 * @addr: a parsed value
 * @len: (out) (optional): length of the result, which may contain NULs
 *
 * Returns the display name for people: a quoted-string without quotes and
 * with its quoted-pairs resolved, or the tokens with each run of LWS made
 * one space.
 *
 * Returns: (transfer full) (nullable): the display name, %NULL when none
 */
char *
hail_sip_name_addr_dup_display_name (const HailSipNameAddr *addr,
                                     gsize                 *len)
{
  const char *p, *end;
  char *out;
  gsize n = 0;

  g_return_val_if_fail (addr != NULL, NULL);

  if (addr->display_name.ptr == NULL)
    return NULL;
  if (addr->display_name.ptr[0] == '"')
    return hail_sip_unquote (addr->display_name, len);

  p = addr->display_name.ptr;
  end = p + addr->display_name.len;
  out = g_malloc (addr->display_name.len + 1);
  while (p < end)
    {
      if (_hail_sip_is (*p, HAIL_SIP_C_WS))
        {
          p = _hail_sip_skip_ws (p, end);
          out[n++] = ' ';
        }
      else
        out[n++] = *p++;
    }
  out[n] = '\0';
  if (len != NULL)
    *len = n;
  return out;
}

/**
 * hail_sip_name_addr_get_uri:
 * @addr: a parsed value (not a wildcard)
 *
 * Returns: (transfer full) (nullable): the URI as an owned value, %NULL for `*`
 */
HailSipUri *
hail_sip_name_addr_get_uri (const HailSipNameAddr *addr)
{
  g_return_val_if_fail (addr != NULL, NULL);

  if (addr->wildcard)
    return NULL;
  return hail_sip_uri_new_from_view (&addr->uri_view);
}

/**
 * hail_sip_name_addr_format:
 * @display_name: (nullable): display name for people, any UTF-8; quoted and
 *   escaped here. Line breaks become spaces.
 * @uri: the URI, always written inside `<>`
 * @params: (nullable): header parameters to append, such as `tag=1234`,
 *   without the leading `;`
 *
 * Writes a From, To or Contact value.
 *
 * Returns: (transfer full): `"Display" <uri>;params`
 */
char *
hail_sip_name_addr_format (const char       *display_name,
                           const HailSipUri *uri,
                           const char       *params)
{
  GString *s;

  g_return_val_if_fail (uri != NULL, NULL);

  s = g_string_new (NULL);
  if (display_name != NULL && *display_name != '\0')
    {
      g_string_append_c (s, '"');
      for (const char *p = display_name; *p != '\0'; p++)
        {
          /* qdtext takes neither '"' nor '\\' nor controls other than HTAB;
           * a quoted-pair takes all but CR and LF (RFC 3261 §25.1). */
          if (*p == '\r' || *p == '\n')
            {
              g_string_append_c (s, ' ');
              continue;
            }
          if (*p == '"' || *p == '\\' || *p == 0x7f || ((guint8) *p < 0x20 && *p != '\t'))
            g_string_append_c (s, '\\');
          g_string_append_c (s, *p);
        }
      g_string_append (s, "\" ");
    }
  g_string_append_c (s, '<');
  g_string_append (s, hail_sip_uri_to_string (uri));
  g_string_append_c (s, '>');
  if (params != NULL && *params != '\0')
    {
      g_string_append_c (s, ';');
      g_string_append (s, params);
    }
  return g_string_free (s, FALSE);
}

/**
 * hail_sip_name_addr_get_expires:
 * @addr: a Contact value
 * @expires: (out): the `expires` parameter
 *
 * Returns: whether a valid `expires` is present; an overlarge or malformed
 *   one counts as absent, so the caller applies its default (RFC 3261 §10.3)
 */
gboolean
hail_sip_name_addr_get_expires (const HailSipNameAddr *addr,
                                guint32               *expires)
{
  HailSipSpan value;

  g_return_val_if_fail (addr != NULL && expires != NULL, FALSE);

  return hail_sip_params_lookup (addr->params, "expires", &value) && value.ptr != NULL
         && hail_sip_span_to_uint32 (value, expires);
}

/**
 * hail_sip_name_addr_get_q:
 * @addr: a Contact value
 * @q: (out): the `q` parameter in thousandths (0 to 1000)
 *
 * Returns: whether a valid qvalue (RFC 3261 §25.1) is present
 */
gboolean
hail_sip_name_addr_get_q (const HailSipNameAddr *addr,
                          guint                 *q)
{
  HailSipSpan value;
  guint v = 0, scale = 100;
  const char *p, *end;

  g_return_val_if_fail (addr != NULL && q != NULL, FALSE);

  if (!hail_sip_params_lookup (addr->params, "q", &value) || value.ptr == NULL)
    return FALSE;
  p = value.ptr;
  end = p + value.len;
  if (*p != '0' && *p != '1')
    return FALSE;
  v = (guint) (*p++ - '0') * 1000;
  if (p < end)
    {
      if (*p++ != '.' || end - p > 3)
        return FALSE;
      for (; p < end; p++, scale /= 10)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          v += (guint) (*p - '0') * scale;
        }
    }
  if (v > 1000)
    return FALSE;
  *q = v;
  return TRUE;
}
